/**
 * `#platform/json-utf8` under the `browser` condition: the JSON text whole, encoded at the start of
 * a buffer with room to spare (for the sealed package, which is written over it). The other
 * runtimes' version (`json-utf8.ts`) keeps a 10 MiB prompt from being copied once more on its way
 * to UTF-8; pages seldom send one, and their bundles have a size budget.
 */
import { utf8Encoder as encoder } from '../crypto/utf8.js'

/**
 * `value` as UTF-8 JSON at the start of a buffer of `room(bytes)` bytes for its `bytes` of UTF-8
 * (the package's capacity, `packageCapacity`, so the package can be written over it: one buffer
 * instead of two, and no plaintext left behind). At the start: browsers seal with WebCrypto, into
 * a buffer of its own, so there is no ciphertext to keep out of the package's way. A text over
 * `limit` bytes only gets the room to show it is over. Text that needs more than 4 bytes per 3
 * characters as UTF-8 (mostly CJK) does not fit and is encoded on its own.
 */
export function encodeJsonWithRoom(value: unknown, room: (bytes: number) => number, limit = Number.POSITIVE_INFINITY): Uint8Array {
  const text = JSON.stringify(value)
  const into = new Uint8Array(room(Math.min(text.length, limit)))
  const { read, written } = encoder.encodeInto(text, into)
  return read < text.length ? (into.fill(0), encoder.encode(text)) : into.subarray(0, written)
}
