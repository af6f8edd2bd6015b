/**
 * Byte codecs for Bun: the web ones (`bytes-web.ts`), except that the base64 of a large answer is
 * decoded from its wire bytes in JavaScript and the answer's chunks are freed as soon as they are
 * copied. package.json `"imports"` maps `#platform/bytes` here under the `bun` condition.
 *
 * Why: JavaScriptCore collects late, and in a 10 MiB exchange the first collection after the answer
 * arrives comes after `JSON.parse`, the peak. Until then every transient object stays resident: the
 * 96 KiB slice strings the web path hands to `setFromBase64` (13 MiB for a 10 MiB answer) and the
 * 256 KiB chunks Bun's `fetch` hands over (it has no BYOB reader), another 13 MiB. Without them the
 * median peak went from 83 to 59 MiB (docs/performance.md). The loop below decodes 10 MiB in 6–9 ms,
 * as fast as the native slices there (their strings are made, then scanned).
 */
import { releaseBuffer } from '../crypto/release.js'
import type * as Web from './bytes-web.js'

export { BASE64_SLICE_BYTES, asciiText, decodeUtf8, nodeBase64 } from './bytes-web.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * For each position in a quantum, every byte's 6 bits already shifted into place, or -1 for a byte
 * outside the alphabet (`=` included): one OR of four lookups is the quantum's 24 bits, negative
 * when any byte is not base64.
 */
const SEXTETS = [18, 12, 6, 0].map((shift) => {
  const table = new Int32Array(256).fill(-1)
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i << shift
  return table
}) as [Int32Array, Int32Array, Int32Array, Int32Array]

export const decodeBase64Quanta: typeof Web.decodeBase64Quanta = (text, target) => {
  const [first, second, third, fourth] = SEXTETS
  let invalid = 0
  // Each quantum is read whole before its 3 bytes are written, so `target` may start where `text`
  // does or before it (decoding in place): the writes never pass the reads.
  for (let i = 0, o = 0; i < text.length; i += 4, o += 3) {
    const bits = first[text[i]!]! | second[text[i + 1]!]! | third[text[i + 2]!]! | fourth[text[i + 3]!]!
    invalid |= bits
    target[o] = bits >> 16
    target[o + 1] = bits >> 8
    target[o + 2] = bits
  }
  return invalid >= 0
}

/** Only a chunk that is its whole buffer is freed: a view could share its buffer with other data. */
export const releaseChunk: typeof Web.releaseChunk = (chunk) => {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) releaseBuffer(chunk)
}
