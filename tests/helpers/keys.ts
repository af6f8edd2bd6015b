/**
 * Fixture keys for tests that are not about key generation: the independent PEMs from
 * ../shared/vectors (made by OpenSSL and Python cryptography), read directly from there.
 */
import { readFileSync } from 'node:fs'

const KEYS = new URL('../../../shared/vectors/keys/', import.meta.url)
const VECTORS = new URL('../../../shared/vectors/wire-vectors.json', import.meta.url)

export const vectorsFile = JSON.parse(readFileSync(VECTORS, 'utf8')) as {
  client_private_key_pkcs8_pem: string
  client_public_key_spki_pem: string
  vectors: Array<{ name: string; expect: 'ok' | 'security' | 'format'; package: unknown; plaintext?: unknown }>
}

const read = (name: string) => readFileSync(new URL(name, KEYS), 'utf8')

/** The router's key in most tests. */
export const routerPem = read('openssl-plain.pem')
export const routerPublicPem = read('openssl-public.pem')
/** The client's key in most tests. */
export const clientPem = read('python-cryptography-plain.pem')
export const clientPublicPem = read('python-cryptography-public.pem')
/** A second router key, for rotation tests. */
export const otherRouterPem = vectorsFile.client_private_key_pkcs8_pem
