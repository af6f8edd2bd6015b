/** Router key helpers: the same WebCrypto primitives as the client, named for the server side. */
import { generateRsaKeyPair } from '../crypto/rsa.js'
import { exportPrivateKeyPem, importPrivateKeyPem } from '../crypto/pkcs8.js'

/**
 * Generates an RSA-OAEP SHA-256 router key pair (4096 bits by default). Pass `extractable: true`
 * only to save it once with {@link exportPrivateKey}.
 *
 * @example
 * ```ts
 * const keyPair = await generateKeyPair()
 * ```
 */
export function generateKeyPair(options: { bits?: number; extractable?: boolean } = {}): Promise<CryptoKeyPair> {
  return generateRsaKeyPair(options.bits, options.extractable === true)
}

/**
 * Loads a key pair from a PKCS#8 (optionally encrypted) or PKCS#1 PEM; the private key is non-extractable.
 *
 * @example
 * ```ts
 * const keyPair = await loadKeyPair(await Deno.readTextFile('router_key.pem'))
 * ```
 */
export function loadKeyPair(pem: string, password?: string): Promise<CryptoKeyPair> {
  return importPrivateKeyPem(pem, password)
}

/**
 * Exports an extractable private key as PKCS#8 PEM, PBES2-encrypted when `password` is given.
 *
 * @example
 * ```ts
 * const pair = await generateKeyPair({ extractable: true })
 * const pem = await exportPrivateKey(pair.privateKey, 'passphrase')
 * ```
 */
export function exportPrivateKey(privateKey: CryptoKey, password?: string): Promise<string> {
  return exportPrivateKeyPem(privateKey, password)
}
