/**
 * Hybrid encryption of one package: AES-256-GCM over the plaintext, the AES key wrapped with
 * RSA-OAEP (SHA-256 for hash and MGF1, no label) to the recipient's public key.
 *
 * The AES key never exists as bytes in JavaScript memory: it is generated inside WebCrypto and
 * leaves it only wrapped (`wrapKey`), and on the way back it is unwrapped straight into a CryptoKey
 * (`unwrapKey`; non-extractable except where Node's cipher needs it extractable to take it, see
 * `#platform/aes-gcm`). So there is no raw key buffer to zero. The bulk AES-GCM pass is the
 * platform's (`#platform/aes-gcm`): WebCrypto, or `node:crypto`'s streaming cipher in Node and Bun.
 */
import { EXTRACTABLE_AES_KEY, gcmDecrypt, gcmEncrypt } from '#platform/aes-gcm'
import { DECRYPTION_FAILED, SecurityError } from '../errors.js'

/** The binary parts of a package. `ciphertext` is WebCrypto's ciphertext‖tag. */
export interface SealedParts {
  ciphertext: Uint8Array
  nonce: Uint8Array
  wrappedKey: Uint8Array
}

const subtle = () => globalThis.crypto.subtle
const RSA_OAEP = { name: 'RSA-OAEP' } as const

/**
 * Seals `plaintext` to `recipient` (an RSA-OAEP SHA-256 public key with the `wrapKey` usage);
 * `additionalData` is authenticated by the GCM tag but not carried (key binding).
 *
 * With `consume`, the plaintext's buffer (from the plaintext on) is the caller's to overwrite: where
 * the platform can (Node, Bun) and the buffer has 16 bytes to spare, the plaintext is sealed over:
 * `ciphertext` is where it was, or moved ahead to its `ciphertextLead` (see `#platform/aes-gcm`).
 */
export async function seal(
  plaintext: Uint8Array,
  recipient: CryptoKey,
  additionalData?: Uint8Array,
  options: { consume?: boolean } = {},
): Promise<SealedParts> {
  // A fresh key and nonce for every package: a GCM nonce is never reused under one key.
  const key = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const [ciphertext, wrappedKey] = await Promise.all([
    gcmEncrypt(key, nonce, additionalData, plaintext, options.consume === true),
    subtle().wrapKey('raw', key, recipient, RSA_OAEP),
  ])
  return { ciphertext, nonce, wrappedKey: new Uint8Array(wrappedKey) }
}

/**
 * Opens sealed parts with `privateKey` (RSA-OAEP SHA-256, `unwrapKey` usage). Every failure — a
 * wrong key, a tampered wrapped key, nonce, ciphertext or tag — is the same {@link SecurityError}
 * (a wrong `additionalData` included) with the same message and no cause.
 *
 * With `consume`, the caller owns the parts and needs them no more: `parts.ciphertext` is decrypted
 * over itself where the platform can (Node, Bun), else released as soon as WebCrypto holds its
 * copy, before the plaintext is allocated. Either way a 10 MiB answer's peak is one ciphertext lower.
 */
export async function open(
  parts: SealedParts,
  privateKey: CryptoKey,
  additionalData?: Uint8Array,
  options: { consume?: boolean } = {},
): Promise<Uint8Array> {
  try {
    const key = await subtle().unwrapKey(
      'raw',
      parts.wrappedKey as BufferSource,
      privateKey,
      RSA_OAEP,
      { name: 'AES-GCM' },
      EXTRACTABLE_AES_KEY,
      ['decrypt'],
    )
    // unwrapKey accepts 16- and 24-byte keys too; the protocol is AES-256 only.
    if ((key.algorithm as AesKeyAlgorithm).length !== 256) throw new Error()
    return await gcmDecrypt(key, parts.nonce, additionalData, parts.ciphertext, options.consume === true)
  } catch {
    throw new SecurityError(DECRYPTION_FAILED)
  }
}
