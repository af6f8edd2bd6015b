/**
 * Byte codecs for Node, where `Buffer` beats the web APIs: its base64 is native C++ while
 * `Uint8Array.prototype.toBase64` does not exist before Node 25, it reads latin1 at memcpy speed,
 * and `isAscii` checks 10 MiB in ~0.4 ms where Node's `TextDecoder` needs ~8 ms for the same string.
 * package.json `"imports"` maps `#platform/bytes` here under the `node` condition only (Deno and Bun
 * match their own conditions first: their `Buffer` is an emulation, slower than their web APIs).
 */
import { Buffer, isAscii } from 'node:buffer'
import { writeAsciiJsonContent } from './ascii-json.js'
import type * as Web from './bytes-web.js'

const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

export const nodeBase64: typeof Web.nodeBase64 = {
  encode: (bytes) => view(bytes).toString('base64'),
  decodeInto(text, target) {
    // Buffer also takes the base64url alphabet, and reads a character above U+00FF by its low byte
    // only ('Ł' as 'A'): refuse both before decoding. A byte length equal to the character count
    // means every character is ASCII. Any other character outside the alphabet is skipped, so the
    // count of bytes written is the strictness check.
    if (text.indexOf('-') >= 0 || text.indexOf('_') >= 0 || Buffer.byteLength(text, 'utf8') !== text.length) return false
    return view(target).write(text, 0, target.length, 'base64') === target.length
  },
}

/** Node 20's `JSON.stringify` (V8 11) takes 17–18 ms to stringify and write 10 MiB of prose, the ASCII path ~9.5. */
export const writeJsonContent: typeof Web.writeJsonContent = writeAsciiJsonContent

/** Buffer decodes and encodes the wire bytes' slices fast enough; the quanta codecs are Bun's and Deno's. */
export const decodeBase64Quanta: typeof Web.decodeBase64Quanta = undefined
export const encodeBase64Quanta: typeof Web.encodeBase64Quanta = undefined

/** Node reads large answers with a BYOB reader: no chunks to free. */
export const releaseChunk: typeof Web.releaseChunk = undefined

/** 32 KiB slices: 10 MiB encode in 2.7 ms instead of 4.2 ms with 96 KiB, decode 2.9 instead of 4.0. */
export const BASE64_SLICE_BYTES: typeof Web.BASE64_SLICE_BYTES = 3 * 0x2000

/** latin1 is a plain copy; a byte above 0x7F comes out as a non-ASCII character, as in UTF-8. */
export const asciiText: typeof Web.asciiText = (bytes) => view(bytes).toString('latin1')

/**
 * Strict UTF-8. For ASCII bytes latin1 and UTF-8 give the same string, and ASCII is the common case:
 * Python's `json.dumps` (the reference router) escapes everything else as `\uXXXX` by default.
 */
export const decodeUtf8: typeof Web.decodeUtf8 = (bytes) =>
  isAscii(bytes) ? asciiText(bytes) : new TextDecoder('utf-8', { fatal: true }).decode(bytes)
