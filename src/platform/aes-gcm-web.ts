/**
 * AES-256-GCM over a whole payload with WebCrypto: browsers, Workers, Deno and every runtime without
 * a faster path. package.json `"imports"` maps `#platform/aes-gcm` here by default and to
 * `aes-gcm-node.ts` under the `node` and `bun` conditions, so no browser build ever sees Node's code.
 *
 * WebCrypto copies its input when called, so a consumed input is released (see `releaseBuffer`)
 * before the output is allocated: a 10 MiB payload's peak is one payload lower where the runtime
 * can free at once.
 */
import { releaseBuffer } from '../crypto/release.js'

// Chromium refuses `additionalData: undefined` ("Not a BufferSource"): the member is left out instead.
const gcm = (iv: Uint8Array, additionalData?: Uint8Array): AesGcmParams => ({
  name: 'AES-GCM',
  iv: iv as BufferSource,
  ...(additionalData && { additionalData: additionalData as BufferSource }),
})

/** Whether an unwrapped AES key must be extractable for this module (Node's `KeyObject.from` wants one). */
export const EXTRACTABLE_AES_KEY: boolean = false

/**
 * `data` sealed under `key`: ciphertext‖tag (16 bytes). With `consume`, `data`'s buffer from `data`
 * on is the caller's to overwrite (the Node path seals over it, moving the ciphertext ahead if it
 * is not out of the way of a package written from the buffer's start); here it is left as it is.
 */
export const gcmEncrypt = (
  key: CryptoKey,
  iv: Uint8Array,
  additionalData: Uint8Array | undefined,
  data: Uint8Array,
  _consume: boolean,
): Promise<Uint8Array> =>
  globalThis.crypto.subtle.encrypt(gcm(iv, additionalData), key, data as BufferSource).then((sealed) => new Uint8Array(sealed))

/**
 * The plaintext of `data` (ciphertext‖tag); rejects when the tag does not verify. With `consume`,
 * `data` is the caller's and dead afterwards: released here once WebCrypto holds its copy.
 */
export function gcmDecrypt(
  key: CryptoKey,
  iv: Uint8Array,
  additionalData: Uint8Array | undefined,
  data: Uint8Array,
  consume: boolean,
): Promise<Uint8Array> {
  const decrypting = globalThis.crypto.subtle.decrypt(gcm(iv, additionalData), key, data as BufferSource)
  if (consume) releaseBuffer(data)
  return decrypting.then((plaintext) => new Uint8Array(plaintext))
}
