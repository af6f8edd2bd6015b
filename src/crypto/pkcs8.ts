/**
 * RSA private keys in the PEM files other tools write (OpenSSL, Python `cryptography`), read and
 * written with `crypto.subtle` alone: PKCS#8, PKCS#8 encrypted with PBES2 (PBKDF2 + AES-CBC) and
 * PKCS#1 `RSA PRIVATE KEY`.
 */
import { KeyError, UnsupportedKeyError } from '../errors.js'
import { DerReader, TAG, derInteger, derNull, derOctetString, derOid, derSequence, stripLeadingZeros, type Bytes } from './asn1.js'
import { encodeBase64Url } from './base64.js'
import { decodePem, encodePem } from './pem.js'

const RSADSI = '1.2.840.113549.' // the arc under which PKCS#1, #5 and #12 register their OIDs
const AES = '2.16.840.1.101.3.4.1.'
const OID = {
  rsaEncryption: `${RSADSI}1.1.1`,
  pbes2: `${RSADSI}1.5.13`,
  pbkdf2: `${RSADSI}1.5.12`,
  hmacWithSHA256: `${RSADSI}2.9`,
  aes256Cbc: `${AES}42`,
}
const PRF_HASH: Record<string, string> = {
  [`${RSADSI}2.7`]: 'SHA-1', [`${RSADSI}2.9`]: 'SHA-256', [`${RSADSI}2.10`]: 'SHA-384', [`${RSADSI}2.11`]: 'SHA-512',
}
const AES_CBC_BITS: Record<string, number> = { [`${AES}2`]: 128, [`${AES}22`]: 192, [`${AES}42`]: 256 }

// Schemes we recognise but WebCrypto cannot run, named so the user learns what their file uses.
const SCHEME_NAMES: Record<string, string> = {
  [`${RSADSI}3.7`]: 'Triple DES (des-ede3-cbc)', '1.3.14.3.2.7': 'DES (des-cbc)', [`${RSADSI}3.2`]: 'RC2 (rc2-cbc)',
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
  [`${RSADSI}1.5.1`]: 'PBES1 (MD2 and DES)', [`${RSADSI}1.5.3`]: 'PBES1 (MD5 and DES)',
  [`${RSADSI}1.5.4`]: 'PBES1 (MD2 and RC2)', [`${RSADSI}1.5.6`]: 'PBES1 (MD5 and RC2)',
  [`${RSADSI}1.5.10`]: 'PBES1 (SHA-1 and DES)', [`${RSADSI}1.5.11`]: 'PBES1 (SHA-1 and RC2)',
  [`${RSADSI}1.12.1.1`]: 'PKCS#12 PBE (SHA-1 and 128-bit RC4)', [`${RSADSI}1.12.1.2`]: 'PKCS#12 PBE (SHA-1 and 40-bit RC4)',
  [`${RSADSI}1.12.1.3`]: 'PKCS#12 PBE (SHA-1 and 3-key Triple DES)', [`${RSADSI}1.12.1.4`]: 'PKCS#12 PBE (SHA-1 and 2-key Triple DES)',
  [`${RSADSI}1.12.1.5`]: 'PKCS#12 PBE (SHA-1 and 128-bit RC2)', [`${RSADSI}1.12.1.6`]: 'PKCS#12 PBE (SHA-1 and 40-bit RC2)',
  [`${RSADSI}2.8`]: 'PBKDF2 with HMAC-SHA224', [`${RSADSI}2.12`]: 'PBKDF2 with HMAC-SHA512/224', [`${RSADSI}2.13`]: 'PBKDF2 with HMAC-SHA512/256',
  [`${AES}6`]: 'AES-128-GCM', [`${AES}26`]: 'AES-192-GCM', [`${AES}46`]: 'AES-256-GCM',
}

const CONVERT = 'openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in old.pem -out new.pem'
const WRONG_PASSWORD = 'Could not decrypt the private key: wrong password or damaged file'
const ONLY_RSA = 'The private key is not an RSA key: only RSA keys are supported'
const MIN_MODULUS_BITS = 2048
// A hostile file could ask for billions of iterations and hang the client; real files use far fewer.
const MAX_ITERATIONS = 1_000_000
// Cloudflare Workers refuse PBKDF2 above 100,000 iterations, so files we write must stay at or below it.
const EXPORT_ITERATIONS = 100_000

/**
 * Reads an RSA private key from PEM and returns it as a non-extractable RSA-OAEP (SHA-256) key,
 * with its public half derived from the same file.
 *
 * Accepts `PRIVATE KEY` (PKCS#8), `ENCRYPTED PRIVATE KEY` (PBES2 with PBKDF2 HMAC-SHA1/256/384/512
 * and AES-128/192/256-CBC) and `RSA PRIVATE KEY` (PKCS#1). A password given for an unencrypted key
 * is ignored (Python `cryptography` raises instead; a stale password in config should not stop a
 * client whose key file was since decrypted).
 *
 * @throws {UnsupportedKeyError} the file uses a format or cipher WebCrypto cannot read; the message
 *   gives the `openssl` command that converts it.
 * @throws {KeyError} not PEM, damaged, no or wrong password, not RSA, or shorter than 2048 bits.
 * @example
 * ```ts
 * const { privateKey, publicKey } = await importPrivateKeyPem(await readFile('client.pem', 'utf8'), process.env.KEY_PASSWORD)
 * ```
 */
export async function importPrivateKeyPem(pem: string, password?: string): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  if (password !== undefined && typeof password !== 'string') throw new TypeError('importPrivateKeyPem: password must be a string')
  const block = decodePem(pem, 'private key')
  // Decoded and decrypted key bytes are wiped once WebCrypto holds its own copy; JS cannot promise
  // the engine made no other copy, but this keeps them out of heap dumps and reused buffers.
  const secrets: Uint8Array[] = [block.der]
  try {
    let pkcs8: Bytes
    let encrypted = false
    switch (block.label) {
      case 'PRIVATE KEY':
        pkcs8 = block.der as Bytes
        break
      case 'ENCRYPTED PRIVATE KEY': {
        const params = readEncryptedPrivateKeyInfo(block.der as Bytes)
        if (!password) throw new KeyError('The private key is encrypted: password required')
        pkcs8 = await decryptPbes2(params, password)
        secrets.push(pkcs8)
        encrypted = true
        break
      }
      case 'RSA PRIVATE KEY':
        if (/ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '')) {
          throw new UnsupportedKeyError(`The private key uses legacy OpenSSL PEM encryption, which WebCrypto cannot decrypt. Convert it to encrypted PKCS#8 with: ${CONVERT}`)
        }
        pkcs8 = wrapPkcs1(block.der as Bytes)
        secrets.push(pkcs8)
        break
      case 'EC PRIVATE KEY':
      case 'DSA PRIVATE KEY':
        throw new KeyError(ONLY_RSA)
      case 'OPENSSH PRIVATE KEY':
        throw new UnsupportedKeyError('The private key is in OpenSSH format. Convert it to PKCS#8 with: ssh-keygen -p -m PKCS8 -f key')
      default:
        throw new KeyError('The PEM is not a private key (expected PRIVATE KEY, ENCRYPTED PRIVATE KEY or RSA PRIVATE KEY)')
    }
    // After decryption every structural failure means the same as a padding failure: wrong password.
    const read = <T>(f: () => T): T => {
      if (!encrypted) return f()
      try {
        return f()
      } catch {
        throw new KeyError(WRONG_PASSWORD)
      }
    }
    const info = read(() => readPrivateKeyInfo(pkcs8))
    if (info.algorithm !== OID.rsaEncryption) throw new KeyError(ONLY_RSA)
    const rsaPrivateKey = info.privateKey
    const { n, e } = read(() => readRsaPublicNumbers(rsaPrivateKey))
    if (bitLength(n) < MIN_MODULUS_BITS) throw new KeyError(`The RSA private key is too short: at least ${MIN_MODULUS_BITS} bits are required`)

    let privateKey: CryptoKey
    let publicKey: CryptoKey
    try {
      privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt', 'unwrapKey'])
    } catch {
      throw new KeyError(encrypted ? WRONG_PASSWORD : 'The RSA private key could not be imported: the file is damaged')
    }
    try {
      const jwk: JsonWebKey = { kty: 'RSA', n: encodeBase64Url(n), e: encodeBase64Url(e), alg: 'RSA-OAEP-256', ext: true }
      publicKey = await crypto.subtle.importKey('jwk', jwk, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt', 'wrapKey'])
    } catch {
      throw new KeyError('The RSA public key could not be derived from the private key: the file is damaged')
    }
    // WebCrypto does not check that the halves of an imported key belong together: a damaged
    // modulus or exponent would load, and every answer would then fail to decrypt. One round trip
    // (about a millisecond) proves the pair works before anyone relies on it.
    if (!(await pairWorks(privateKey, publicKey))) throw new KeyError(encrypted ? WRONG_PASSWORD : 'The RSA private key is inconsistent: the file is damaged')
    return { privateKey, publicKey }
  } finally {
    for (const s of secrets) s.fill(0)
  }
}

async function pairWorks(privateKey: CryptoKey, publicKey: CryptoKey): Promise<boolean> {
  const probe = crypto.getRandomValues(new Uint8Array(32))
  try {
    const sealed = await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, probe)
    const opened = new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, sealed))
    return opened.length === probe.length && opened.every((byte, i) => byte === probe[i])
  } catch {
    return false
  }
}

/**
 * Writes an extractable private key as PEM: `ENCRYPTED PRIVATE KEY` when a password is given
 * (PBES2: PBKDF2-HMAC-SHA256 with 100,000 iterations and a random 16-byte salt, AES-256-CBC with a
 * random IV, laid out as Python `cryptography` and OpenSSL write it), `PRIVATE KEY` otherwise.
 *
 * @throws {TypeError} the key is not an extractable RSA private key, or the password is empty.
 * @example
 * ```ts
 * const pair = await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['decrypt', 'unwrapKey', 'encrypt', 'wrapKey'])
 * await writeFile('client.pem', await exportPrivateKeyPem(pair.privateKey, password), { mode: 0o600 })
 * ```
 */
export async function exportPrivateKeyPem(privateKey: CryptoKey, password?: string): Promise<string> {
  if (typeof privateKey !== 'object' || privateKey === null || privateKey.type !== 'private' || !privateKey.algorithm.name.startsWith('RSA')) {
    throw new TypeError('exportPrivateKeyPem: expected an RSA private CryptoKey')
  }
  if (!privateKey.extractable) throw new TypeError('exportPrivateKeyPem: the private key is not extractable')
  if (password !== undefined && (typeof password !== 'string' || password === '')) {
    throw new TypeError('exportPrivateKeyPem: password must be a non-empty string')
  }
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey))
  try {
    if (password === undefined) return encodePem(pkcs8, 'PRIVATE KEY')
    return encodePem(await encryptPbes2(pkcs8, password), 'ENCRYPTED PRIVATE KEY')
  } finally {
    pkcs8.fill(0)
  }
}

interface Pbes2Params {
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
  throw new UnsupportedKeyError(`The private key is encrypted with ${name}, which WebCrypto cannot decrypt (unsupported key encryption). Convert it with: ${CONVERT}`)
}

/** Parses EncryptedPrivateKeyInfo (RFC 5958) with PBES2 parameters (RFC 8018). */
function readEncryptedPrivateKeyInfo(der: Bytes): Pbes2Params {
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
  if (pbkdf2.peekTag() === TAG.SEQUENCE) throw new UnsupportedKeyError(`The private key uses a PBKDF2 salt source WebCrypto cannot use. Convert it with: ${CONVERT}`)
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
async function pbkdf2AesKey(password: string, salt: Bytes, iterations: number, hash: string, aesBits: number, usage: KeyUsage): Promise<CryptoKey> {
  const secret = new TextEncoder().encode(password)
  try {
    const base = await crypto.subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveKey'])
    return await crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations, hash }, base, { name: 'AES-CBC', length: aesBits }, false, [usage])
  } catch {
    // The inputs were validated, so a refusal is the runtime's own limit (workerd caps iterations).
    throw new UnsupportedKeyError(
      `This runtime refused PBKDF2 with ${hash} and ${iterations} iterations (Cloudflare Workers allow at most 100,000). Re-encrypt the key with: ${CONVERT} -iter ${EXPORT_ITERATIONS}`,
    )
  } finally {
    secret.fill(0)
  }
}

async function decryptPbes2(p: Pbes2Params, password: string): Promise<Bytes> {
  const key = await pbkdf2AesKey(password, p.salt, p.iterations, p.hash, p.aesBits, 'decrypt')
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: p.iv }, key, p.data))
  } catch {
    // No cause: a padding oracle must learn nothing beyond "did not decrypt".
    throw new KeyError(WRONG_PASSWORD)
  }
}

async function encryptPbes2(pkcs8: Bytes, password: string): Promise<Bytes> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(16))
  const key = await pbkdf2AesKey(password, salt, EXPORT_ITERATIONS, 'SHA-256', 256, 'encrypt')
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, pkcs8))
  // Same shape as Python `cryptography` and OpenSSL 3: no keyLength, prf with explicit NULL parameters.
  return derSequence(
    derSequence(
      derOid(OID.pbes2),
      derSequence(
        derSequence(derOid(OID.pbkdf2), derSequence(derOctetString(salt), derInteger(EXPORT_ITERATIONS), derSequence(derOid(OID.hmacWithSHA256), derNull()))),
        derSequence(derOid(OID.aes256Cbc), derOctetString(iv)),
      ),
    ),
    derOctetString(data),
  )
}

/** Parses PrivateKeyInfo / OneAsymmetricKey (RFC 5958): the algorithm and the private key bytes inside. */
function readPrivateKeyInfo(der: Bytes): { algorithm: string; privateKey: Bytes } {
  const file = new DerReader(der, 'private key (PKCS#8 PrivateKeyInfo)')
  const info = file.sequence('PrivateKeyInfo')
  file.end()
  const version = info.smallInteger('version', 1)
  const algorithm = info.sequence('privateKeyAlgorithm')
  const oid = algorithm.oid('privateKeyAlgorithm')
  // Other algorithms' parameters are not ours to judge: the caller refuses them by OID.
  if (oid === OID.rsaEncryption) {
    if (!algorithm.done) algorithm.null('rsaEncryption parameters')
    algorithm.end()
  }
  const privateKey = info.octetString('privateKey')
  if (info.peekTag() === 0xa0) info.read(0xa0, 'attributes')
  if (version === 1 && info.peekTag() === 0x81) info.read(0x81, 'publicKey')
  info.end()
  return { algorithm: oid, privateKey }
}

/** Reads n and e (without sign bytes) from an RSAPrivateKey (RFC 8017 A.1.2), checking the whole structure. */
function readRsaPublicNumbers(der: Bytes): { n: Bytes; e: Bytes } {
  const file = new DerReader(der, 'RSA private key (RSAPrivateKey)')
  const key = file.sequence('RSAPrivateKey')
  file.end()
  const version = key.smallInteger('version', 1)
  const n = key.integer('modulus')
  const e = key.integer('publicExponent')
  if (n[0]! & 0x80 || e[0]! & 0x80) key.fail('modulus or exponent is negative')
  for (const field of ['privateExponent', 'prime1', 'prime2', 'exponent1', 'exponent2', 'coefficient']) key.integer(field)
  if (version === 1) key.sequence('otherPrimeInfos')
  key.end()
  return { n: stripLeadingZeros(n), e: stripLeadingZeros(e) }
}

/** Wraps PKCS#1 RSAPrivateKey bytes into PKCS#8 PrivateKeyInfo, which WebCrypto imports. */
function wrapPkcs1(pkcs1: Bytes): Bytes {
  const octets = derOctetString(pkcs1)
  try {
    return derSequence(derInteger(0), derSequence(derOid(OID.rsaEncryption), derNull()), octets)
  } finally {
    octets.fill(0)
  }
}

function bitLength(n: Bytes): number {
  const top = n[0] ?? 0
  return top === 0 ? 0 : (n.length - 1) * 8 + (32 - Math.clz32(top))
}
