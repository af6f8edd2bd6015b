import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { derInteger, derNull, derOctetString, derOid, derSequence } from '../../src/crypto/asn1.js'
import { decodePem, encodePem } from '../../src/crypto/pem.js'
import { exportPrivateKeyPem, importPrivateKeyPem } from '../../src/crypto/pkcs8.js'
import { KeyError, UnsupportedKeyError } from '../../src/errors.js'

const KEYS = new URL('../../../shared/vectors/keys/', import.meta.url)
const WIRE = new URL('../../../shared/vectors/wire-vectors.json', import.meta.url)
const read = (name: string): string => readFileSync(new URL(name, KEYS), 'utf8')
const index = JSON.parse(read('index.json')) as {
  password: string
  keys: Record<string, { public: string; expect: 'ok' | 'unsupported' | 'ok-or-clear-error'; no_password?: boolean }>
}
const PASSWORD = index.password
const WRONG_PASSWORD = 'Could not decrypt the private key: wrong password or damaged file'
const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' }

async function importSpki(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', decodePem(pem).der, OAEP, true, ['encrypt'])
}

/** The loaded pair is right when the matching public file encrypts to it and the derived half is that file. */
async function expectMatches(pair: { privateKey: CryptoKey; publicKey: CryptoKey }, publicPem: string): Promise<void> {
  expect(pair.privateKey.extractable).toBe(false)
  expect(pair.privateKey.usages.sort()).toEqual(['decrypt', 'unwrapKey'])
  await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow()
  const secret = crypto.getRandomValues(new Uint8Array(32))
  const sealed = await crypto.subtle.encrypt(OAEP, await importSpki(publicPem), secret)
  expect(new Uint8Array(await crypto.subtle.decrypt(OAEP, pair.privateKey, sealed))).toEqual(secret)
  expect(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))).toEqual(new Uint8Array(decodePem(publicPem).der))
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(type)
  return err as T
}

let dir: string
const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const tmp = (name: string): string => join(dir, name)

beforeAll(() => {
  // No skip when openssl is missing: execFileSync throws ENOENT and the suite fails, as it should.
  dir = mkdtempSync(join(tmpdir(), 'nomyo-keys-'))
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', tmp('plain.pem'))
  openssl('pkey', '-in', tmp('plain.pem'), '-pubout', '-out', tmp('public.pem'))
  const topk8 = (out: string, ...opts: string[]) =>
    openssl('pkcs8', '-topk8', ...opts, '-in', tmp('plain.pem'), '-out', tmp(out), '-passout', `pass:${PASSWORD}`)
  topk8('aes192-sha512.pem', '-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA512')
  topk8('aes256-sha384.pem', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA384')
  topk8('scrypt.pem', '-scrypt')
  topk8('pbes1.pem', '-v1', 'PBE-SHA1-3DES')
  openssl('rsa', '-in', tmp('plain.pem'), '-traditional', '-aes256', '-passout', `pass:${PASSWORD}`, '-out', tmp('legacy.pem'))
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', tmp('ec.pem'))
  openssl('pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', tmp('ec.pem'), '-out', tmp('ec-enc.pem'), '-passout', `pass:${PASSWORD}`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('key files written by Python cryptography and OpenSSL (shared vectors)', () => {
  for (const [file, entry] of Object.entries(index.keys)) {
    const password = entry.no_password ? undefined : PASSWORD
    if (entry.expect === 'unsupported') {
      it(`${file}: fails with UnsupportedKeyError saying how to convert`, async () => {
        const err = await rejection(importPrivateKeyPem(read(file), password), UnsupportedKeyError)
        expect(err.message).toMatch(/convert/i)
        expect(err.message).toContain('openssl pkcs8 -topk8')
        expect(err.message).toMatch(/Triple DES/)
      })
    } else {
      it(`${file}: loads and matches ${entry.public}`, async () => {
        await expectMatches(await importPrivateKeyPem(read(file), password), read(entry.public))
      })
    }
  }

  it('RSA-4096 client key of the wire vectors loads and matches its public key', async () => {
    const wire = JSON.parse(readFileSync(WIRE, 'utf8')) as { client_private_key_pkcs8_pem: string; client_public_key_spki_pem: string }
    const pair = await importPrivateKeyPem(wire.client_private_key_pkcs8_pem)
    expect((pair.publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(4096)
    await expectMatches(pair, wire.client_public_key_spki_pem)
  })

  it('a password given for an unencrypted key is ignored', async () => {
    await expectMatches(await importPrivateKeyPem(read('openssl-plain.pem'), 'not needed'), read('openssl-public.pem'))
  })
})

describe('passwords', () => {
  for (const file of ['python-cryptography-enc.pem', 'openssl-aes256-sha256.pem', 'openssl-aes128-sha1.pem']) {
    it(`${file}: a wrong password gives the one fixed KeyError, without the password or a cause`, async () => {
      const wrong = 'Tr0ub4dor&3-wrong-guess'
      const err = await rejection(importPrivateKeyPem(read(file), wrong), KeyError)
      expect(err.constructor).toBe(KeyError)
      expect(err.message).toBe(WRONG_PASSWORD)
      expect(err.cause).toBeUndefined()
      for (const text of [err.message, JSON.stringify(err), String(err)]) expect(text).not.toContain(wrong)
    })

    it(`${file}: no password (or an empty one) gives KeyError "password required"`, async () => {
      for (const password of [undefined, '']) {
        const err = await rejection(importPrivateKeyPem(read(file), password), KeyError)
        expect(err.message).toMatch(/password required/)
      }
    })
  }
})

describe('OpenSSL variants generated here', () => {
  it('PBES2 with AES-192-CBC and HMAC-SHA512 loads', async () => {
    await expectMatches(
      await importPrivateKeyPem(readFileSync(tmp('aes192-sha512.pem'), 'utf8'), PASSWORD),
      readFileSync(tmp('public.pem'), 'utf8'),
    )
  })

  it('PBES2 with AES-256-CBC and HMAC-SHA384 loads', async () => {
    await expectMatches(
      await importPrivateKeyPem(readFileSync(tmp('aes256-sha384.pem'), 'utf8'), PASSWORD),
      readFileSync(tmp('public.pem'), 'utf8'),
    )
  })

  it.each([
    ['scrypt.pem', /scrypt/],
    ['pbes1.pem', /PKCS#12 PBE .*Triple DES/],
  ])('%s fails with UnsupportedKeyError naming the scheme', async (file, name) => {
    const err = await rejection(importPrivateKeyPem(readFileSync(tmp(file), 'utf8'), PASSWORD), UnsupportedKeyError)
    expect(err.message).toMatch(name)
    expect(err.message).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256')
  })

  it('legacy OpenSSL-encrypted PKCS#1 (Proc-Type: 4,ENCRYPTED) explains how to convert', async () => {
    const err = await rejection(importPrivateKeyPem(readFileSync(tmp('legacy.pem'), 'utf8'), PASSWORD), UnsupportedKeyError)
    expect(err.message).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in old.pem -out new.pem')
  })

  it('an encrypted EC key with the right password says "only RSA keys", not "wrong password"', async () => {
    const err = await rejection(importPrivateKeyPem(readFileSync(tmp('ec-enc.pem'), 'utf8'), PASSWORD), KeyError)
    expect(err.message).toMatch(/only RSA keys are supported/)
  })
})

describe('bad input is a KeyError, never a raw exception', () => {
  it.each([
    ['empty text', ''],
    ['not PEM', 'hello world'],
    ['bad base64', '-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n'],
    ['a public key', read('openssl-public.pem')],
    ['random bytes as PKCS#8', encodePem(crypto.getRandomValues(new Uint8Array(600)), 'PRIVATE KEY')],
    ['random bytes as encrypted PKCS#8', encodePem(crypto.getRandomValues(new Uint8Array(600)), 'ENCRYPTED PRIVATE KEY')],
    ['random bytes as PKCS#1', encodePem(crypto.getRandomValues(new Uint8Array(600)), 'RSA PRIVATE KEY')],
    ['an EC PRIVATE KEY block', encodePem(new Uint8Array([0x30, 0]), 'EC PRIVATE KEY')],
  ])('%s', async (_, pem) => {
    await rejection(importPrivateKeyPem(pem, PASSWORD), KeyError)
  })

  it('non-string input is a KeyError too', async () => {
    await rejection(importPrivateKeyPem(undefined as unknown as string), KeyError)
  })

  it('truncated DER at any length fails with KeyError and quotes none of the file', async () => {
    const der = decodePem(read('openssl-plain.pem')).der
    const body = read('openssl-plain.pem').split('\n')[5]!
    for (const cut of [1, 2, 3, 4, 5, 8, 20, 26, 27, 100, 600, der.length - 2, der.length - 1]) {
      const err = await rejection(importPrivateKeyPem(encodePem(new Uint8Array(der.subarray(0, cut)), 'PRIVATE KEY')), KeyError)
      expect(err.message).not.toContain(body.slice(0, 16))
    }
  })

  it('flipping any header byte of plain or encrypted files gives success or KeyError', async () => {
    for (const [file, upTo] of [
      ['openssl-plain.pem', 40],
      ['python-cryptography-enc.pem', 93],
    ] as const) {
      const der = decodePem(read(file)).der
      for (let i = 0; i < upTo; i++) {
        const damaged = new Uint8Array(der)
        damaged[i] ^= 0xff
        const result = await importPrivateKeyPem(encodePem(damaged, decodePem(read(file)).label), PASSWORD).catch((e: unknown) => e)
        if (result instanceof Error) expect(result).toBeInstanceOf(KeyError)
      }
    }
  })

  it('an EC key (PKCS#8 from WebCrypto) says only RSA keys are supported', async () => {
    const ec = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    const pem = encodePem(new Uint8Array(await crypto.subtle.exportKey('pkcs8', ec.privateKey)), 'PRIVATE KEY')
    const err = await rejection(importPrivateKeyPem(pem), KeyError)
    expect(err.message).toMatch(/only RSA keys are supported/)
  })

  it('an RSA-1024 key is refused as too short', async () => {
    const small = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['decrypt', 'encrypt'],
    )
    const err = await rejection(importPrivateKeyPem(await exportPrivateKeyPem(small.privateKey)), KeyError)
    expect(err.message).toMatch(/too short/)
  })

  it('a hostile iteration count is refused at once instead of hanging the client', async () => {
    const encrypted = (iterations: number) =>
      encodePem(
        derSequence(
          derSequence(
            derOid('1.2.840.113549.1.5.13'),
            derSequence(
              derSequence(
                derOid('1.2.840.113549.1.5.12'),
                derSequence(
                  derOctetString(new Uint8Array(8)),
                  derInteger(iterations),
                  derSequence(derOid('1.2.840.113549.2.9'), derNull()),
                ),
              ),
              derSequence(derOid('2.16.840.1.101.3.4.1.42'), derOctetString(new Uint8Array(16))),
            ),
          ),
          derOctetString(new Uint8Array(32)),
        ),
        'ENCRYPTED PRIVATE KEY',
      )
    const started = Date.now()
    expect((await rejection(importPrivateKeyPem(encrypted(10_000_001), PASSWORD), KeyError)).message).toMatch(/iterations/)
    expect((await rejection(importPrivateKeyPem(encrypted(2 ** 40), PASSWORD), KeyError)).message).toMatch(/iterations/)
    await rejection(importPrivateKeyPem(encrypted(0), PASSWORD), KeyError)
    expect(Date.now() - started).toBeLessThan(1000)
    // A sane count with a bad ciphertext is just a wrong password.
    expect((await rejection(importPrivateKeyPem(encrypted(1000), PASSWORD), KeyError)).message).toBe(WRONG_PASSWORD)
  })
})

describe('exportPrivateKeyPem', () => {
  let pair: CryptoKeyPair
  beforeAll(async () => {
    pair = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
    )
  })
  const publicPem = async () => encodePem(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)), 'PUBLIC KEY')

  it('with a password: round-trips through importPrivateKeyPem', async () => {
    const pem = await exportPrivateKeyPem(pair.privateKey, 'round trip')
    expect(pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true)
    await expectMatches(await importPrivateKeyPem(pem, 'round trip'), await publicPem())
    expect((await rejection(importPrivateKeyPem(pem, 'round trap'), KeyError)).message).toBe(WRONG_PASSWORD)
  })

  it('with a password: OpenSSL reads it and finds the same public key', async () => {
    writeFileSync(tmp('exported-enc.pem'), await exportPrivateKeyPem(pair.privateKey, 'open sesame'))
    openssl('pkey', '-in', tmp('exported-enc.pem'), '-passin', 'pass:open sesame', '-noout')
    expect(openssl('pkey', '-in', tmp('exported-enc.pem'), '-passin', 'pass:open sesame', '-pubout')).toBe(await publicPem())
    expect(() => openssl('pkey', '-in', tmp('exported-enc.pem'), '-passin', 'pass:wrong', '-noout')).toThrow()
  })

  it('with a password: the DER has the shape Python cryptography writes, 100,000 iterations, 16-byte salt', async () => {
    writeFileSync(tmp('exported-shape.pem'), await exportPrivateKeyPem(pair.privateKey, 'shape'))
    // Offsets, lengths and values differ by design (salt size, iteration count, key size); the tree must not.
    const shape = (file: string) =>
      openssl('asn1parse', '-in', file)
        .trim()
        .split('\n')
        .map((line) =>
          line
            .replace(/^\s*\d+:/, '')
            .replace(/hl=\s*\d+ l=\s*\d+ /, '')
            .replace(/\[HEX DUMP\]:.*|:[0-9A-F]+$/, '')
            .trim(),
        )
    expect(shape(tmp('exported-shape.pem'))).toEqual(shape(new URL('python-cryptography-enc.pem', KEYS).pathname))
    const dump = openssl('asn1parse', '-in', tmp('exported-shape.pem'))
    expect(dump).toMatch(/INTEGER\s+:0186A0/)
    expect(dump).toMatch(/l=\s*16 prim: OCTET STRING/)
    expect(dump).toMatch(/hmacWithSHA256[\s\S]*aes-256-cbc/)
  })

  it('without a password: PRIVATE KEY that OpenSSL and importPrivateKeyPem read', async () => {
    const pem = await exportPrivateKeyPem(pair.privateKey)
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true)
    writeFileSync(tmp('exported-plain.pem'), pem)
    expect(openssl('pkey', '-in', tmp('exported-plain.pem'), '-pubout')).toBe(await publicPem())
    await expectMatches(await importPrivateKeyPem(pem), await publicPem())
  })

  it('an empty password or a non-extractable key is a TypeError', async () => {
    await rejection(exportPrivateKeyPem(pair.privateKey, ''), TypeError)
    const loaded = await importPrivateKeyPem(read('openssl-plain.pem'))
    await rejection(exportPrivateKeyPem(loaded.privateKey, 'x'), TypeError)
    await rejection(exportPrivateKeyPem(pair.publicKey), TypeError)
  })
})
