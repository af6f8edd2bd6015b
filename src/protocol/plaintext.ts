/**
 * The plaintext of a package: the JSON payload as UTF-8 bytes and back. The request is encoded into
 * a buffer with room for its sealed package, so the client can write the package over it.
 */
import { ProtocolError } from '../errors.js'
import { decodeUtf8, utf8Encoder as encoder } from '../crypto/utf8.js'
import { releaseBuffer } from '../crypto/release.js'
import { jsonText } from './json-text.js'
import { packageCapacity } from './package.js'
import { MAX_PLAINTEXT_BYTES } from './constants.js'

/**
 * The payload as UTF-8 JSON, at the start of a buffer with room for its package (see
 * {@link encodeJsonWithPackageRoom}). Throws TypeError for a non-object, RangeError over 10 MiB.
 */
export function encodePlaintext(payload: Record<string, unknown>): Uint8Array {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TypeError('The payload must be a JSON object')
  const bytes = encodeJsonWithPackageRoom(payload, MAX_PLAINTEXT_BYTES)
  if (bytes.length > MAX_PLAINTEXT_BYTES) {
    bytes.fill(0)
    throw new RangeError(`The request is ${bytes.length} bytes; the protocol allows at most ${MAX_PLAINTEXT_BYTES} (10 MiB)`)
  }
  return bytes
}

/**
 * `value` as UTF-8 JSON at the start of a buffer with room for its package (see
 * {@link packageCapacity}), so the package can be written over it: one buffer instead of two, and
 * no plaintext left behind. A text over `limit` bytes only gets the room to show it is over.
 *
 * The text comes in pieces ({@link jsonText}). When its length is only known up to the escapes of
 * its long strings, the room has an eighth more, untouched (so no memory) unless needed. Text whose
 * package still does not fit (CJK: 3 bytes per character; JSON pasted into a prompt, a third of it
 * quotes) is finished piece by piece and then copied, every copy wiped, into a room of the right size.
 */
export function encodeJsonWithPackageRoom(value: unknown, limit = Number.POSITIVE_INFINITY): Uint8Array {
  const json = jsonText(value)
  const room = new Uint8Array(packageCapacity(Math.min(json.exact ? json.length : json.length * 1.125, limit)))
  let at = 0
  const rest: Uint8Array[] = []
  json.forEachPiece((piece) => {
    if (rest.length > 0) return void rest.push(encoder.encode(piece))
    const { read, written } = encoder.encodeInto(piece, room.subarray(at))
    at += written
    if (read < piece.length) rest.push(encoder.encode(piece.slice(read)))
  })
  if (rest.length === 0 && (room.length >= packageCapacity(at) || at > limit)) return room.subarray(0, at)
  let length = at
  for (const bytes of rest) length += bytes.length
  const whole = new Uint8Array(length > limit ? length : packageCapacity(length)).subarray(0, length)
  whole.set(room.subarray(0, at))
  room.fill(0, 0, at)
  for (const bytes of rest) {
    whole.set(bytes, at)
    at += bytes.length
    bytes.fill(0)
  }
  return whole
}

/**
 * Parses a decrypted answer (strict UTF-8 JSON), zeroing the bytes once they are decoded when
 * `wipe`. The bytes are released either way (the caller hands over the plaintext it got from `open`).
 */
export function decodePlaintext(plaintext: Uint8Array, wipe: boolean): unknown {
  try {
    let text: string
    try {
      text = decodeUtf8(plaintext)
    } finally {
      // Released before `JSON.parse`, not after: the parse's own buffers can take the memory (in
      // Bun a 10 MiB answer then peaks ~8 MiB lower, docs/performance.md).
      if (wipe) plaintext.fill(0)
      releaseBuffer(plaintext)
    }
    return JSON.parse(text)
  } catch {
    // No cause: the SyntaxError would quote decrypted text.
    throw new ProtocolError('The decrypted answer is not valid UTF-8 JSON')
  }
}
