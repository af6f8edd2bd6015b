/**
 * RSA private keys in the PEM files other tools write (OpenSSL, Python `cryptography`), read and
 * written with `crypto.subtle` alone: PKCS#8, PKCS#8 encrypted with PBES2 (PBKDF2 + AES-CBC) and
 * PKCS#1 `RSA PRIVATE KEY`.
 */
import { KeyError, UnsupportedKeyError } from '../errors.js'
import { DerReader, derInteger, derNull, derOctetString, derOid, derSequence, stripLeadingZeros, type Bytes } from './asn1.js'
import { encodeBase64Url } from './base64.js'
import { decodePem, encodePem } from './pem.js'
import { CONVERT, OID, WRONG_PASSWORD, decryptPbes2, encryptPbes2, readEncryptedPrivateKeyInfo } from './pbes2.js'

const ONLY_RSA = 'The private key is not an RSA key: only RSA keys are supported'
const MIN_MODULUS_BITS = 2048

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
          throw new UnsupportedKeyError(
            `The private key uses legacy OpenSSL PEM encryption, which WebCrypto cannot decrypt. Convert it to encrypted PKCS#8 with: ${CONVERT}`,
          )
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
    if (bitLength(n) < MIN_MODULUS_BITS)
      throw new KeyError(`The RSA private key is too short: at least ${MIN_MODULUS_BITS} bits are required`)

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
    if (!(await pairWorks(privateKey, publicKey)))
      throw new KeyError(encrypted ? WRONG_PASSWORD : 'The RSA private key is inconsistent: the file is damaged')
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
  if (
    typeof privateKey !== 'object' ||
    privateKey === null ||
    privateKey.type !== 'private' ||
    !privateKey.algorithm.name.startsWith('RSA')
  ) {
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
