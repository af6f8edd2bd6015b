/**
 * Byte codecs for Bun: the web ones (`bytes-web.ts`), except that the base64 of a large answer is
 * decoded from its wire bytes in JavaScript, the answer's chunks are freed as soon as they are
 * copied, and long ASCII strings get their JSON from `ascii-json.ts`. package.json `"imports"` maps
 * `#platform/bytes` here under the `bun` condition.
 *
 * Why: JavaScriptCore collects late, and in a 10 MiB exchange the first collection after the answer
 * arrives comes after `JSON.parse`, the peak. Until then every transient object stays resident: the
 * 96 KiB slice strings the web path hands to `setFromBase64` (13 MiB for a 10 MiB answer) and the
 * 256 KiB chunks Bun's `fetch` hands over (it has no BYOB reader), another 13 MiB. Without them the
 * median peak went from 83 to 59 MiB (docs/performance.md). The decoder (`base64-quanta.ts`, shared
 * with Deno) takes 10 MiB in ~5 ms, faster than the native slices there (their strings are made,
 * then scanned). Encoding stays native: the loop takes ~17 ms for 10 MiB in JavaScriptCore (its
 * big-endian DataView reads are slow), the native slices 7–8 ms.
 */
import { releaseBuffer } from '../crypto/release.js'
import { writeAsciiJsonContent } from './ascii-json.js'
import * as quanta from './base64-quanta.js'
import type * as Web from './bytes-web.js'

export { BASE64_SLICE_BYTES, asciiText, decodeUtf8, encodeBase64Quanta, nodeBase64 } from './bytes-web.js'

/** JavaScriptCore's `JSON.stringify` takes 15 ms for 10 MiB of prose, the ASCII path 8–9 ms. */
export const writeJsonContent: typeof Web.writeJsonContent = writeAsciiJsonContent

/** Typed as the web module's optional decoder, as in `bytes-deno.ts`. */
export const decodeBase64Quanta: typeof Web.decodeBase64Quanta = quanta.decodeBase64Quanta

/** Only a chunk that is its whole buffer is freed: a view could share its buffer with other data. */
export const releaseChunk: typeof Web.releaseChunk = (chunk) => {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) releaseBuffer(chunk)
}
