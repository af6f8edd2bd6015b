/**
 * The PEM private-key codec (PKCS#8, PBES2, PKCS#1) loaded on first use. Browser clients keep their
 * key in IndexedDB and never parse a private-key file, so the ASN.1 and PBES2 code (about a quarter
 * of the client) stays out of the bundle they load up front.
 */
type Codec = typeof import('./pkcs8.js')

let codec: Promise<Codec> | undefined
const load = (): Promise<Codec> => (codec ??= import('./pkcs8.js'))

/** See {@link Codec.importPrivateKeyPem}. */
export async function importPrivateKeyPem(pem: string, password?: string): Promise<CryptoKeyPair> {
  return (await load()).importPrivateKeyPem(pem, password)
}

/** See {@link Codec.exportPrivateKeyPem}. */
export async function exportPrivateKeyPem(privateKey: CryptoKey, password?: string): Promise<string> {
  return (await load()).exportPrivateKeyPem(privateKey, password)
}
