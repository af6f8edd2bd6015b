/**
 * Byte codecs for Deno: the web ones (`bytes-web.ts`), except that the bulk of a big payload's
 * base64 goes straight between bytes both ways (`base64-quanta.ts`), with no string in between.
 * package.json `"imports"` maps `#platform/bytes` here under the `deno` condition.
 *
 * Why: Deno's native base64 (`toBase64`, `setFromBase64`) makes and takes strings, so a 10 MiB
 * exchange sent 13 MB of slice strings through V8's heap each way. They die at once, yet V8 grows
 * its young generation for them and Deno keeps the pages: one 10 MiB request + answer peaked at
 * 72.6 MiB against a floor of 53.4, and at 57 MiB with the loops (docs/performance.md, fifth round),
 * which cost ~1–3 ms (encoding) and ~3 ms (decoding) more per 10 MiB than the native codecs.
 */
import * as quanta from './base64-quanta.js'
import type * as Web from './bytes-web.js'

export { BASE64_SLICE_BYTES, asciiText, decodeUtf8, nodeBase64, releaseChunk, writeJsonContent } from './bytes-web.js'

// Typed as the web module's optional codecs, so code checked against this file (JSR serves it to
// Deno) still tests for them as it must elsewhere.
export const decodeBase64Quanta: typeof Web.decodeBase64Quanta = quanta.decodeBase64Quanta
export const encodeBase64Quanta: typeof Web.encodeBase64Quanta = quanta.encodeBase64Quanta
