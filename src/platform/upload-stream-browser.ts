/**
 * `#platform/upload-stream` under the `browser` condition: requests go to `fetch` as bytes, whatever
 * `streamUploads` says. Browsers refuse a streamed body over HTTP/1.1 (Chromium sends one only over
 * HTTP/2, Firefox and Safari never), so browser builds leave the stream code of `upload-stream.ts`
 * out, and with no `streamBody` the bundler drops the transport's call of it too (0.24 KB gzip of
 * the `<script>` build, 0.04 KB of the ESM one).
 */
import type { UploadStream } from './upload-stream.js'

/** None: the body goes as bytes. */
export const streamBody: ((init: RequestInit) => UploadStream | undefined) | undefined = undefined
