/**
 * PBES2 (RFC 8018) as OpenSSL and Python `cryptography` write encrypted PKCS#8: PBKDF2 with
 * HMAC-SHA1/256/384/512 and AES-128/192/256-CBC, on `crypto.subtle` alone. Other schemes are named
 * in an `UnsupportedKeyError` that says how to convert the file.
 */
import { KeyError, UnsupportedKeyError } from '../errors.js'
import { DerReader, TAG, derInteger, derNull, derOctetString, derOid, derSequence, type Bytes } from './asn1.js'

const RSADSI = '1.2.840.113549.' // the arc under which PKCS#1, #5 and #12 register their OIDs
const AES = '2.16.840.1.101.3.4.1.'
export const OID = {
  rsaEncryption: `${RSADSI}1.1.1`,
  pbes2: `${RSADSI}1.5.13`,
  pbkdf2: `${RSADSI}1.5.12`,
  hmacWithSHA256: `${RSADSI}2.9`,
  aes256Cbc: `${AES}42`,
}
const PRF_HASH: Record<string, string> = {
  [`${RSADSI}2.7`]: 'SHA-1',
  [`${RSADSI}2.9`]: 'SHA-256',
  [`${RSADSI}2.10`]: 'SHA-384',
  [`${RSADSI}2.11`]: 'SHA-512',
}
const AES_CBC_BITS: Record<string, number> = { [`${AES}2`]: 128, [`${AES}22`]: 192, [`${AES}42`]: 256 }

// Schemes we recognise but WebCrypto cannot run, named so the user learns what their file uses.
const SCHEME_NAMES: Record<string, string> = {
  [`${RSADSI}3.7`]: 'Triple DES (des-ede3-cbc)',
  '1.3.14.3.2.7': 'DES (des-cbc)',
  [`${RSADSI}3.2`]: 'RC2 (rc2-cbc)',
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
  [`${RSADSI}1.5.1`]: 'PBES1 (MD2 and DES)',
  [`${RSADSI}1.5.3`]: 'PBES1 (MD5 and DES)',
  [`${RSADSI}1.5.4`]: 'PBES1 (MD2 and RC2)',
  [`${RSADSI}1.5.6`]: 'PBES1 (MD5 and RC2)',
  [`${RSADSI}1.5.10`]: 'PBES1 (SHA-1 and DES)',
  [`${RSADSI}1.5.11`]: 'PBES1 (SHA-1 and RC2)',
  [`${RSADSI}1.12.1.1`]: 'PKCS#12 PBE (SHA-1 and 128-bit RC4)',
  [`${RSADSI}1.12.1.2`]: 'PKCS#12 PBE (SHA-1 and 40-bit RC4)',
  [`${RSADSI}1.12.1.3`]: 'PKCS#12 PBE (SHA-1 and 3-key Triple DES)',
  [`${RSADSI}1.12.1.4`]: 'PKCS#12 PBE (SHA-1 and 2-key Triple DES)',
  [`${RSADSI}1.12.1.5`]: 'PKCS#12 PBE (SHA-1 and 128-bit RC2)',
  [`${RSADSI}1.12.1.6`]: 'PKCS#12 PBE (SHA-1 and 40-bit RC2)',
  [`${RSADSI}2.8`]: 'PBKDF2 with HMAC-SHA224',
  [`${RSADSI}2.12`]: 'PBKDF2 with HMAC-SHA512/224',
  [`${RSADSI}2.13`]: 'PBKDF2 with HMAC-SHA512/256',
  [`${AES}6`]: 'AES-128-GCM',
  [`${AES}26`]: 'AES-192-GCM',
  [`${AES}46`]: 'AES-256-GCM',
}

export const CONVERT = 'openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in old.pem -out new.pem'
export const WRONG_PASSWORD = 'Could not decrypt the private key: wrong password or damaged file'
// A hostile file could ask for billions of iterations and hang the client; real files use far fewer.
const MAX_ITERATIONS = 1_000_000
// Cloudflare Workers refuse PBKDF2 above 100,000 iterations, so files we write must stay at or below it.
const EXPORT_ITERATIONS = 100_000

/** The parameters of an encrypted PKCS#8 file. */
export interface Pbes2Params {
  salt: Bytes
  iterations: number
  hash: string
  aesBits: number
  iv: Bytes
  data: Bytes
}

function unsupportedScheme(oid: string): never {
  // The OID comes from the file; a short one helps support, a long one is noise (or an attack).
  const name = SCHEME_NAMES[oid] ?? (oid.length <= 32 ? `an unrecognised algorithm (OID ${oid})` : 'an unrecognised algorithm')
  throw new UnsupportedKeyError(
    `The private key is encrypted with ${name}, which WebCrypto cannot decrypt (unsupported key encryption). Convert it with: ${CONVERT}`,
  )
}

/** Parses EncryptedPrivateKeyInfo (RFC 5958) with PBES2 parameters (RFC 8018). */
export function readEncryptedPrivateKeyInfo(der: Bytes): Pbes2Params {
  const file = new DerReader(der, 'encrypted private key (EncryptedPrivateKeyInfo)')
  const info = file.sequence('EncryptedPrivateKeyInfo')
  file.end()
  const algorithm = info.sequence('encryptionAlgorithm')
  const scheme = algorithm.oid('encryptionAlgorithm')
  if (scheme !== OID.pbes2) unsupportedScheme(scheme)
  const pbes2 = algorithm.sequence('PBES2 parameters')
  algorithm.end()

  const kdf = pbes2.sequence('keyDerivationFunc')
  const kdfOid = kdf.oid('keyDerivationFunc')
  if (kdfOid !== OID.pbkdf2) unsupportedScheme(kdfOid)
  const pbkdf2 = kdf.sequence('PBKDF2 parameters')
  kdf.end()
  if (pbkdf2.peekTag() === TAG.SEQUENCE)
    throw new UnsupportedKeyError(`The private key uses a PBKDF2 salt source WebCrypto cannot use. Convert it with: ${CONVERT}`)
  const salt = pbkdf2.octetString('PBKDF2 salt')
  const iterations = pbkdf2.smallInteger('PBKDF2 iteration count', 2 ** 48)
  if (iterations < 1) pbkdf2.fail('PBKDF2 iteration count is zero')
  if (iterations > MAX_ITERATIONS) {
    throw new KeyError(`The private key asks for more than 1,000,000 PBKDF2 iterations; refusing to spend that long on it`)
  }
  const keyLength = pbkdf2.peekTag() === TAG.INTEGER ? pbkdf2.smallInteger('PBKDF2 key length', 1024) : undefined
  let hash = 'SHA-1' // RFC 8018: the prf defaults to hmacWithSHA1 when absent
  if (!pbkdf2.done) {
    const prf = pbkdf2.sequence('PBKDF2 prf')
    const prfOid = prf.oid('PBKDF2 prf')
    hash = PRF_HASH[prfOid] ?? unsupportedScheme(prfOid)
    if (!prf.done) prf.null('PBKDF2 prf parameters')
    prf.end()
  }
  pbkdf2.end()

  const cipher = pbes2.sequence('encryptionScheme')
  pbes2.end()
  const cipherOid = cipher.oid('encryptionScheme')
  const aesBits = AES_CBC_BITS[cipherOid] ?? unsupportedScheme(cipherOid)
  const iv = cipher.octetString('AES-CBC IV')
  cipher.end()
  if (iv.length !== 16) cipher.fail('AES-CBC IV is not 16 bytes')
  if (keyLength !== undefined && keyLength * 8 !== aesBits) pbkdf2.fail('PBKDF2 key length does not match the cipher')

  const data = info.octetString('encryptedData')
  info.end()
  if (data.length === 0 || data.length % 16 !== 0) info.fail('encryptedData is not a whole number of AES blocks')
  return { salt, iterations, hash, aesBits, iv, data }
}

/** Derives the AES key inside WebCrypto (`deriveKey`, so its bytes never reach JS memory). */
async function pbkdf2AesKey(
  password: string,
  salt: Bytes,
  iterations: number,
  hash: string,
  aesBits: number,
  usage: KeyUsage,
): Promise<CryptoKey> {
  const secret = new TextEncoder().encode(password)
  try {
    const base = await crypto.subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveKey'])
    return await crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations, hash }, base, { name: 'AES-CBC', length: aesBits }, false, [
      usage,
    ])
  } catch {
    // The inputs were validated, so a refusal is the runtime's own limit (workerd caps iterations).
    throw new UnsupportedKeyError(
      `This runtime refused PBKDF2 with ${hash} and ${iterations} iterations (Cloudflare Workers allow at most 100,000). Re-encrypt the key with: ${CONVERT} -iter ${EXPORT_ITERATIONS}`,
    )
  } finally {
    secret.fill(0)
  }
}

/** Decrypts the PKCS#8 bytes; a wrong password is one fixed KeyError with no cause. */
export async function decryptPbes2(p: Pbes2Params, password: string): Promise<Bytes> {
  const key = await pbkdf2AesKey(password, p.salt, p.iterations, p.hash, p.aesBits, 'decrypt')
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: p.iv }, key, p.data))
  } catch {
    // No cause: a padding oracle must learn nothing beyond "did not decrypt".
    throw new KeyError(WRONG_PASSWORD)
  }
}

/** Encrypts PKCS#8 bytes as EncryptedPrivateKeyInfo: PBKDF2-HMAC-SHA256 (100,000 iterations), AES-256-CBC. */
export async function encryptPbes2(pkcs8: Bytes, password: string): Promise<Bytes> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(16))
  const key = await pbkdf2AesKey(password, salt, EXPORT_ITERATIONS, 'SHA-256', 256, 'encrypt')
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, pkcs8))
  // Same shape as Python `cryptography` and OpenSSL 3: no keyLength, prf with explicit NULL parameters.
  return derSequence(
    derSequence(
      derOid(OID.pbes2),
      derSequence(
        derSequence(
          derOid(OID.pbkdf2),
          derSequence(derOctetString(salt), derInteger(EXPORT_ITERATIONS), derSequence(derOid(OID.hmacWithSHA256), derNull())),
        ),
        derSequence(derOid(OID.aes256Cbc), derOctetString(iv)),
      ),
    ),
    derOctetString(data),
  )
}
