/**
 * The plaintext of a package: the JSON payload as UTF-8 bytes and back. The request is encoded into
 * a buffer with room for its sealed package, so the client can write the package over it.
 */
import { ProtocolError } from '../errors.js'
import { decodeUtf8 } from '../crypto/utf8.js'
import { releaseBuffer } from '../crypto/release.js'
import { encodeJsonWithRoom } from '#platform/json-utf8'
import { packageCapacity } from './package.js'
import { MAX_PLAINTEXT_BYTES } from './constants.js'

/**
 * The payload as UTF-8 JSON, at the start of a buffer with room for its package (see
 * `#platform/json-utf8`). Throws TypeError for a non-object, RangeError over 10 MiB.
 */
export function encodePlaintext(payload: Record<string, unknown>): Uint8Array {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TypeError('The payload must be a JSON object')
  const bytes = encodeJsonWithRoom(payload, packageCapacity, MAX_PLAINTEXT_BYTES)
  if (bytes.length > MAX_PLAINTEXT_BYTES) {
    bytes.fill(0)
    throw new RangeError(`The request is ${bytes.length} bytes; the protocol allows at most ${MAX_PLAINTEXT_BYTES} (10 MiB)`)
  }
  return bytes
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
