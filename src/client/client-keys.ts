/** The client's own key pair in the form requests need: the pair, its PEM and its header value. */
import { exportPublicKeyPem, spkiFingerprint } from '../crypto/rsa.js'

export interface ClientKeys {
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicPem: string
  /** `encodeURIComponent(publicPem)`, the value of `X-Public-Key`. */
  header: string
  fingerprint: string
}

export async function describeKeyPair(pair: CryptoKeyPair): Promise<ClientKeys> {
  const publicPem = await exportPublicKeyPem(pair.publicKey)
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicPem,
    header: encodeURIComponent(publicPem),
    fingerprint: await spkiFingerprint(pair.publicKey),
  }
}
