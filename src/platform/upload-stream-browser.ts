/**
 * `#platform/upload-stream` under the `browser` condition: requests go to `fetch` as bytes, whatever
 * `streamUploads` says. Browsers refuse a streamed body over HTTP/1.1 (Chromium sends one only over
 * HTTP/2, Firefox and Safari never), so browser builds leave the stream code of `upload-stream.ts`
 * out (0.2 KB gzip of the `<script>` build, which inlines it).
 */
import type { UploadStream } from './upload-stream.js'

/** Leaves `init` as it is: its body goes as bytes. */
export const streamBody = (_init: RequestInit): UploadStream | undefined => undefined
