/**
 * The client key a router seals its answer to, read from `X-Public-Key` and checked in full before
 * the body is read or the completion runs. WebCrypto imports keys nobody should seal to: `e = 1`
 * (the "ciphertext" is the plaintext), even exponents and even moduli (not RSA keys; OAEP fails or
 * leaks), and moduli so large that wrapping throws only after the completion has run.
 */
import { DerReader, stripLeadingZeros } from '../crypto/asn1.js'
import { decodePem } from '../crypto/pem.js'
import { PUBLIC_USAGES, RSA_OAEP_SHA256 } from '../crypto/rsa.js'
import { MIN_RSA_BITS } from '../protocol/constants.js'
import { RouterError } from '../errors.js'

/** The largest client modulus a router seals to: as large as any key a client would make. */
export const MAX_CLIENT_RSA_BITS = 16384

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'
const BIT_STRING = 0x03

/** A checked client key and the SHA-256 of the SPKI DER it arrived as (what key binding names). */
export interface ClientKey {
  key: CryptoKey
  /** Lowercase hex. */
  spkiSha256: string
}

/**
 * Parses, checks and imports the `X-Public-Key` header value (percent-encoded SPKI PEM). Throws a
 * {@link RouterError} 400 naming what is wrong with the key; a public key is no secret, but the
 * message still never quotes it.
 */
export async function importClientKey(header: string | null): Promise<ClientKey> {
  const invalid = (why: string) => new RouterError(400, `Invalid X-Public-Key header: ${why}`)
  let der: Uint8Array<ArrayBuffer>
  try {
    const block = decodePem(decodeURIComponent(header ?? ''), 'X-Public-Key')
    if (block.label !== 'PUBLIC KEY') throw new Error()
    der = block.der as Uint8Array<ArrayBuffer>
  } catch {
    throw invalid('expected a percent-encoded "PUBLIC KEY" PEM')
  }
  let modulus: Uint8Array
  let exponent: Uint8Array
  try {
    const spki = new DerReader(der, 'X-Public-Key')
    const info = spki.sequence()
    const algorithm = info.sequence()
    if (algorithm.oid() !== RSA_ENCRYPTION) throw new Error()
    const bits = info.read(BIT_STRING)
    info.end()
    spki.end()
    if (bits[0] !== 0) throw new Error()
    const rsa = new DerReader(bits.subarray(1), 'X-Public-Key').sequence()
    const n = rsa.integer()
    const e = rsa.integer()
    rsa.end()
    // Negative integers are not RSA parameters.
    if (n[0]! & 0x80 || e[0]! & 0x80) throw new Error()
    modulus = stripLeadingZeros(n)
    exponent = stripLeadingZeros(e)
  } catch {
    throw invalid('not an RSA SubjectPublicKeyInfo')
  }
  const modulusBits = (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0]!))
  if (modulusBits < MIN_RSA_BITS || modulusBits > MAX_CLIENT_RSA_BITS) {
    throw invalid(`the modulus must be ${MIN_RSA_BITS} to ${MAX_CLIENT_RSA_BITS} bits`)
  }
  if (!(modulus[modulus.length - 1]! & 1)) throw invalid('the modulus is even')
  const exponentTooSmall = exponent.length === 1 && exponent[0]! < 3
  if (!(exponent[exponent.length - 1]! & 1) || exponentTooSmall || exponent.length >= modulus.length) {
    throw invalid('the public exponent must be odd, at least 3 and smaller than the modulus')
  }
  let key: CryptoKey
  try {
    key = await crypto.subtle.importKey('spki', der, RSA_OAEP_SHA256, true, PUBLIC_USAGES)
  } catch {
    throw invalid('not an RSA public key this runtime can import')
  }
  let spkiSha256 = ''
  for (const byte of new Uint8Array(await crypto.subtle.digest('SHA-256', der))) spkiSha256 += byte.toString(16).padStart(2, '0')
  return { key, spkiSha256 }
}
