/**
 * Byte codecs for every runtime but Node: browsers, Workers, Deno and Bun (which add their own to
 * these, `bytes-deno.ts` and `bytes-bun.ts`). Their `TextDecoder` is already fast and their base64
 * is native (`Uint8Array.prototype.toBase64`), so there is nothing to add. package.json `"imports"`
 * maps `#platform/bytes` here by default, to `bytes-node.ts` under the `node` condition, and to
 * `bytes-deno.ts` and `bytes-bun.ts` under `deno` and `bun`, so no browser build ever sees their code.
 */

/** Node's `Buffer` codecs; none here. */
export const nodeBase64: NodeBase64 | undefined = undefined

/** The base64 codecs Node's `Buffer` offers (see `bytes-node.ts`). */
export interface NodeBase64 {
  /** Padded standard base64 of `bytes`. */
  encode(bytes: Uint8Array): string
  /** Decodes `text` into `target`; false unless it is padded standard base64 of exactly `target.length` bytes. */
  decodeInto(text: string, target: Uint8Array): boolean
}

/**
 * Decodes whole base64 quanta (no padding) straight from their ASCII bytes into `target`, exactly
 * 3/4 of their length and possibly the same memory just before them; false when a byte is outside
 * the alphabet. Bun's and Deno's (`base64-quanta.ts`); none here, where the native decoder takes
 * slice strings.
 */
export const decodeBase64Quanta: ((text: Uint8Array, target: Uint8Array) => boolean) | undefined = undefined

/**
 * Writes the base64 of whole quanta (bytes a multiple of 3 long) into `target` as ASCII, returning
 * the bytes written. Deno's (`base64-quanta.ts`); none here, where the native encoder makes strings.
 */
export const encodeBase64Quanta: ((bytes: Uint8Array, target: Uint8Array) => number) | undefined = undefined

/**
 * Frees the buffer of a chunk a stream handed over, once it is copied, where nothing else frees it
 * early (Bun, `bytes-bun.ts`); none here.
 */
export const releaseChunk: ((chunk: Uint8Array) => void) | undefined = undefined

/**
 * Bytes per slice when big payloads go through base64 piecewise (a multiple of 3, so only the last
 * slice can carry padding). Bun is fastest with 96 KiB (10 MiB: 5.6 ms against 9 ms with 32 KiB).
 */
export const BASE64_SLICE_BYTES = 3 * 0x6000

/**
 * Writes the JSON escape of `content` (a slice of a long string, without quotes) as UTF-8 into
 * `into` at `at`; returns the bytes written, or -1 when it cannot vouch for the text (then the bytes
 * from `at` on are zeros, and the caller uses `JSON.stringify`). Node's and Bun's (`ascii-json.ts`),
 * where `JSON.stringify` is slow; none here: recent V8 (Deno, workerd) stringifies faster than it.
 */
export const writeJsonContent: ((content: string, into: Uint8Array, at: number) => number) | undefined = undefined

/** UTF-8 with U+FFFD for invalid bytes (stateless without `stream`, so one serves every call). */
const lenient = new TextDecoder()

/** Bytes that should be ASCII as a string; a byte above 0x7F comes out as a non-ASCII character. */
export function asciiText(bytes: Uint8Array): string {
  return lenient.decode(bytes)
}

/**
 * Decodes UTF-8 strictly: throws a TypeError on invalid bytes instead of substituting U+FFFD.
 *
 * The lenient decoder goes first and the strict one only runs when its text holds a U+FFFD: the
 * lenient decoder writes one for every invalid sequence, so text without any came from valid UTF-8
 * and is what the strict decoder would return (both drop a leading BOM). Deno's strict decoder is
 * a slow path (10 MiB of ASCII: 24 ms and a transient 30 MiB, against 6.5 ms and the string's own
 * 10 MiB); elsewhere the two cost the same, and finding no U+FFFD in ASCII text is instant (a
 * one-byte string cannot hold it). Text that really contains U+FFFD is decoded twice.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const text = lenient.decode(bytes)
  return text.includes('\uFFFD') ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : text
}
