/**
 * Hybrid encryption of one package: AES-256-GCM over the plaintext, the AES key wrapped with
 * RSA-OAEP (SHA-256 for hash and MGF1, no label) to the recipient's public key.
 *
 * The AES key never exists as bytes in JavaScript memory: it is generated inside WebCrypto and
 * leaves it only wrapped (`wrapKey`), and on the way back it is unwrapped straight into a
 * non-extractable CryptoKey (`unwrapKey`). So there is no raw key buffer to zero.
 */
import { DECRYPTION_FAILED, SecurityError } from '../errors.js'
import { releaseBuffer } from './release.js'

/** The binary parts of a package. `ciphertext` is WebCrypto's ciphertext‖tag. */
export interface SealedParts {
  ciphertext: Uint8Array
  nonce: Uint8Array
  wrappedKey: Uint8Array
}

const subtle = () => globalThis.crypto.subtle
const RSA_OAEP = { name: 'RSA-OAEP' } as const
// Chromium refuses `additionalData: undefined` ("Not a BufferSource"): the member is left out instead.
const gcm = (iv: Uint8Array, additionalData?: Uint8Array): AesGcmParams => ({
  name: 'AES-GCM',
  iv: iv as BufferSource,
  ...(additionalData && { additionalData: additionalData as BufferSource }),
})

/**
 * Seals `plaintext` to `recipient` (an RSA-OAEP SHA-256 public key with the `wrapKey` usage);
 * `additionalData` is authenticated by the GCM tag but not carried (key binding).
 */
export async function seal(plaintext: Uint8Array, recipient: CryptoKey, additionalData?: Uint8Array): Promise<SealedParts> {
  // A fresh key and nonce for every package: a GCM nonce is never reused under one key.
  const key = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const [ciphertext, wrappedKey] = await Promise.all([
    subtle().encrypt(gcm(nonce, additionalData), key, plaintext as BufferSource),
    subtle().wrapKey('raw', key, recipient, RSA_OAEP),
  ])
  return { ciphertext: new Uint8Array(ciphertext), nonce, wrappedKey: new Uint8Array(wrappedKey) }
}

/**
 * Opens sealed parts with `privateKey` (RSA-OAEP SHA-256, `unwrapKey` usage). Every failure — a
 * wrong key, a tampered wrapped key, nonce, ciphertext or tag — is the same {@link SecurityError}
 * (a wrong `additionalData` included) with the same message and no cause.
 *
 * With `consume`, `parts.ciphertext`'s buffer is released (see `releaseBuffer`) as soon as WebCrypto
 * holds its copy, before the plaintext is allocated: for a caller that owns the parts and needs
 * them no more, a 10 MiB answer's peak is one ciphertext lower where the runtime can free at once.
 */
export async function open(
  parts: SealedParts,
  privateKey: CryptoKey,
  additionalData?: Uint8Array,
  options: { consume?: boolean } = {},
): Promise<Uint8Array> {
  try {
    const key = await subtle().unwrapKey('raw', parts.wrappedKey as BufferSource, privateKey, RSA_OAEP, { name: 'AES-GCM' }, false, [
      'decrypt',
    ])
    // unwrapKey accepts 16- and 24-byte keys too; the protocol is AES-256 only.
    if ((key.algorithm as AesKeyAlgorithm).length !== 256) throw new Error()
    const decrypting = subtle().decrypt(gcm(parts.nonce, additionalData), key, parts.ciphertext as BufferSource)
    if (options.consume) releaseBuffer(parts.ciphertext)
    return new Uint8Array(await decrypting)
  } catch {
    throw new SecurityError(DECRYPTION_FAILED)
  }
}
