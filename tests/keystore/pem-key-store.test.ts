import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeyError, PemKeyStore, SecureChatCompletion, SecureCompletionClient } from '../../src/runtime/workers.js'
import { spkiFingerprint } from '../../src/crypto/rsa.js'
import { decodePem } from '../../src/crypto/pem.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

const KEYS = new URL('../../../shared/vectors/keys/', import.meta.url)
const read = (name: string): string => readFileSync(new URL(name, KEYS), 'utf8')
const PASSWORD = (JSON.parse(read('index.json')) as { password: string }).password
const plainPem = read('openssl-plain.pem')
const encryptedPem = read('python-cryptography-enc.pem')
const fingerprintOf = async (publicPem: string) =>
  spkiFingerprint(
    await crypto.subtle.importKey('spki', decodePem(publicPem).der as BufferSource, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, [
      'encrypt',
    ]),
  )
const never = () => Promise.reject(new Error('a secret store must not generate'))
const messages = [{ role: 'user' as const, content: 'hi' }]

let router: TestRouter
beforeAll(async () => {
  router = await startRouter()
})
afterAll(async () => {
  await router?.close()
})

describe('PemKeyStore (key from a secret)', () => {
  it('imports once per isolate: every store and client built from the secret gets the same CryptoKey', async () => {
    const a = await new PemKeyStore(plainPem).getOrCreate()
    const b = await new PemKeyStore(plainPem).getOrCreate()
    expect(b.privateKey).toBe(a.privateKey)
    expect(b.publicKey).toBe(a.publicKey)

    const clients = [0, 1].map(() => new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, privateKeyPem: plainPem }))
    for (const client of clients) {
      expect((await client.create({ model: 'm', messages })).choices[0]!.message.content).toBe('echo: hi')
      expect((await client.client.publicKey()).fingerprint).toBe(await fingerprintOf(read('openssl-public.pem')))
      expect(client.client.keysPersisted).toBe(true)
    }
  })

  it('shares one import between concurrent first requests', async () => {
    const pem = read('openssl-aes256-sha256.pem')
    const pairs = await Promise.all([0, 1, 2, 3].map(() => new PemKeyStore(pem, PASSWORD).getOrCreate()))
    expect(new Set(pairs.map((p) => p.privateKey)).size).toBe(1)
  })

  it('hands out a non-extractable private key', async () => {
    const { privateKey } = await new PemKeyStore(plainPem).getOrCreate()
    expect(privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('pkcs8', privateKey)).rejects.toThrow()
  })

  it('opens an encrypted PEM with its password; a wrong one fails even after the right one succeeded', async () => {
    const pair = await new PemKeyStore(encryptedPem, PASSWORD).getOrCreate()
    expect(await spkiFingerprint(pair.publicKey)).toBe(await fingerprintOf(read('python-cryptography-public.pem')))
    const wrong = await new PemKeyStore(encryptedPem, 'wrong horse').getOrCreate().then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(wrong).toBeInstanceOf(KeyError)
    expect(wrong!.message).not.toContain('wrong horse')
    await expect(new PemKeyStore(encryptedPem).getOrCreate()).rejects.toBeInstanceOf(KeyError)
    // Failures are not cached: the right password still works.
    expect((await new PemKeyStore(encryptedPem, PASSWORD).getOrCreate()).privateKey).toBe(pair.privateKey)
  })

  it('a wrong first attempt does not stick: the same store succeeds once given the right secret', async () => {
    const pem = read('openssl-aes128-sha1.pem')
    await expect(new PemKeyStore(pem, 'nope').getOrCreate()).rejects.toBeInstanceOf(KeyError)
    const client = new SecureCompletionClient({ privateKeyPem: pem, keyPassword: PASSWORD })
    expect((await client.publicKey()).fingerprint).toBe(await fingerprintOf(read('openssl-public.pem')))
  })

  it('accepts a PEM whose newlines a dashboard stored as "\\n"', async () => {
    const oneLine = plainPem.trim().replace(/\n/g, '\\n')
    const pair = await new PemKeyStore(oneLine).getOrCreate()
    expect(await spkiFingerprint(pair.publicKey)).toBe(await fingerprintOf(read('openssl-public.pem')))
  })

  it('never generates, and cannot be rotated from inside (it says how instead)', async () => {
    const store = new PemKeyStore(plainPem)
    expect(store.persistent).toBe(true)
    await store.getOrCreate(never)
    const error = await store.delete().then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(error!.message).toMatch(/secret/)
    const client = new SecureCompletionClient({ privateKeyPem: plainPem })
    await expect(client.rotateKeys()).rejects.toBeInstanceOf(TypeError)
  })

  it('rejects a missing secret with a TypeError that quotes nothing', () => {
    expect(() => new PemKeyStore(undefined as unknown as string)).toThrow(TypeError)
    expect(() => new PemKeyStore('  ')).toThrow(/missing/)
    expect(() => new SecureChatCompletion({ keyPassword: 'hunter2' })).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ keyPassword: 'hunter2' })).not.toThrow(/hunter2/)
    expect(() => new SecureChatCompletion({ keyDir: 'x' } as never)).toThrow(/file system/)
  })

  it('without a secret the Workers entry keeps an ephemeral pair in memory', async () => {
    const client = new SecureCompletionClient({ keySize: 2048 })
    await client.publicKey()
    expect(client.keysPersisted).toBe(false)
  })
})
