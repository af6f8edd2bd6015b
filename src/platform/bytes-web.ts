/**
 * Byte codecs for every runtime but Node: browsers, Workers, Deno and Bun. Their `TextDecoder` is
 * already fast and their base64 is native (`Uint8Array.prototype.toBase64`), so there is nothing to
 * add. package.json `"imports"` maps `#platform/bytes` here by default and to `bytes-node.ts` under
 * the `node` condition, so no browser build ever sees Node's code.
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
 * Bytes per slice when big payloads go through base64 piecewise (a multiple of 3, so only the last
 * slice can carry padding). Bun is fastest with 96 KiB (10 MiB: 5.6 ms against 9 ms with 32 KiB).
 */
export const BASE64_SLICE_BYTES = 3 * 0x6000

const ascii = new TextDecoder()

/** Bytes that should be ASCII as a string; a byte above 0x7F comes out as a non-ASCII character. */
export function asciiText(bytes: Uint8Array): string {
  return ascii.decode(bytes)
}

/** Decodes UTF-8 strictly: throws a TypeError on invalid bytes instead of substituting U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}
