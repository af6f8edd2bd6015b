/** RSA-OAEP (SHA-256) key pairs: generation, public-key PEM in and out, and SPKI fingerprints. */
import { KeyError } from '../errors.js'
import { DEFAULT_RSA_BITS, MIN_RSA_BITS } from '../protocol/constants.js'
import { decodePem, encodePem } from './pem.js'

const subtle = () => globalThis.crypto.subtle
export const RSA_OAEP_SHA256 = { name: 'RSA-OAEP', hash: 'SHA-256' } as const
export const PRIVATE_USAGES: KeyUsage[] = ['decrypt', 'unwrapKey']
export const PUBLIC_USAGES: KeyUsage[] = ['encrypt', 'wrapKey']

/**
 * Generates an RSA-OAEP SHA-256 key pair. The private key is non-extractable unless the caller
 * needs to write it to a file once (and then re-imports it non-extractable).
 */
export async function generateRsaKeyPair(bits = DEFAULT_RSA_BITS, extractable = false): Promise<CryptoKeyPair> {
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS || bits % 8 !== 0) {
    throw new TypeError(`keySize must be a multiple of 8 and at least ${MIN_RSA_BITS}`)
  }
  return subtle().generateKey({ ...RSA_OAEP_SHA256, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) }, extractable, [
    ...PRIVATE_USAGES,
    ...PUBLIC_USAGES,
  ]) as Promise<CryptoKeyPair>
}

/**
 * Imports an RSA public key from SPKI PEM and checks it is at least {@link MIN_RSA_BITS} bits.
 * `what` names the key in error messages ("router public key").
 */
export async function importPublicKeyPem(pem: string, what = 'public key'): Promise<CryptoKey> {
  const block = decodePem(pem, what)
  if (block.label !== 'PUBLIC KEY') {
    throw new KeyError(`The ${what} must be a "PUBLIC KEY" (SubjectPublicKeyInfo) PEM, not "${block.label}"`)
  }
  let key: CryptoKey
  try {
    key = await subtle().importKey('spki', block.der as BufferSource, RSA_OAEP_SHA256, true, PUBLIC_USAGES)
  } catch {
    throw new KeyError(`The ${what} is not a valid RSA public key`)
  }
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength
  if (bits < MIN_RSA_BITS) throw new KeyError(`The ${what} is ${bits} bits; at least ${MIN_RSA_BITS} are required`)
  return key
}

/** Exports a public key as SPKI PEM (what travels in `X-Public-Key`). */
export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  return encodePem(new Uint8Array(await subtle().exportKey('spki', key)), 'PUBLIC KEY')
}

/**
 * SHA-256 of the key's SubjectPublicKeyInfo DER, lowercase hex — the same value as
 * `openssl pkey -pubin -in key.pem -outform DER | sha256sum`.
 */
export async function spkiFingerprint(key: CryptoKey): Promise<string> {
  const spki = await subtle().exportKey('spki', key)
  const digest = new Uint8Array(await subtle().digest('SHA-256', spki))
  let hex = ''
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** Normalises a user-given fingerprint: case, colons and an optional `sha256:` prefix do not matter. */
export function normalizeFingerprint(text: string): string {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^sha256[:/]/, '')
    .replace(/[:\s]/g, '')
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError('A pinned key fingerprint must be 64 hex digits (SHA-256 of the SPKI DER)')
  return hex
}
