import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileKeyStore, KeyError, SecureChatCompletion, SecureCompletionClient, nodeFiles } from '../../src/runtime/node.js'
import { generateRsaKeyPair, spkiFingerprint } from '../../src/crypto/rsa.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

const KEYS = new URL('../../../shared/vectors/keys/', import.meta.url)
const PASSWORD = (JSON.parse(readFileSync(new URL('index.json', KEYS), 'utf8')) as { password: string }).password
const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const mode = (path: string): number => statSync(path).mode & 0o777
const generate2048 = (extractable?: boolean) => generateRsaKeyPair(2048, extractable)
const messages = [{ role: 'user' as const, content: 'hi' }]

/** SHA-256 of the SPKI DER, the way `publicKey().fingerprint` reports it, computed by OpenSSL. */
function opensslFingerprint(publicPemPath: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', publicPemPath, '-outform', 'DER'])
  return execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der, encoding: 'utf8' }).split(' ')[0]!
}

let root: string
let router: TestRouter
let n = 0
const freshDir = () => join(root, `keys-${++n}`)

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nomyo-filestore-'))
  router = await startRouter()
})
afterAll(async () => {
  await router?.close()
  rmSync(root, { recursive: true, force: true })
})

describe('FileKeyStore through the Node entry (keyDir)', () => {
  it('writes the Python layout once, with modes 0600/0644, and answers round trips with it', async () => {
    const keyDir = freshDir()
    const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, keyDir, keySize: 2048 })
    const answer = await client.create({ model: 'm', messages })
    expect(answer.choices[0]!.message.content).toBe('echo: hi')
    expect(client.client.keysPersisted).toBe(true)

    const privatePath = join(keyDir, 'private_key.pem')
    const publicPath = join(keyDir, 'public_key.pem')
    expect(readFileSync(privatePath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    expect(readFileSync(publicPath, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/)
    expect(mode(privatePath)).toBe(0o600)
    expect(mode(publicPath)).toBe(0o644)
    // OpenSSL reads both files, and they are one pair: the public key derived from the private file is the public file.
    expect(openssl('pkey', '-in', privatePath, '-pubout')).toBe(readFileSync(publicPath, 'utf8'))
    expect((await client.client.publicKey()).fingerprint).toBe(opensslFingerprint(publicPath))
  })

  it('a restarted client loads the same key and leaves the files alone', async () => {
    const keyDir = freshDir()
    const first = await new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey()
    const before = readFileSync(join(keyDir, 'private_key.pem'), 'utf8')
    const mtime = statSync(join(keyDir, 'private_key.pem')).mtimeMs
    const again = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, keyDir, keySize: 2048 })
    expect((await again.client.publicKey()).fingerprint).toBe(first.fingerprint)
    expect((await again.create({ model: 'm', messages })).choices[0]!.message.content).toBe('echo: hi')
    expect(readFileSync(join(keyDir, 'private_key.pem'), 'utf8')).toBe(before)
    expect(statSync(join(keyDir, 'private_key.pem')).mtimeMs).toBe(mtime)
  })

  it('puts back a missing public_key.pem (a crash between the two writes) from the private key', async () => {
    const keyDir = freshDir()
    const first = await new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey()
    const publicPath = join(keyDir, 'public_key.pem')
    const written = readFileSync(publicPath, 'utf8')
    rmSync(publicPath)
    expect((await new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey()).fingerprint).toBe(first.fingerprint)
    expect(readFileSync(publicPath, 'utf8')).toBe(written)
    expect(mode(publicPath)).toBe(0o644)
  })

  it('still loads the private key when the missing public key cannot be written (read-only directory)', async () => {
    const keyDir = freshDir()
    const first = await new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey()
    rmSync(join(keyDir, 'public_key.pem'))
    const readOnly = { ...nodeFiles, writeTextExclusive: async () => Promise.reject(new Error('EROFS: read-only file system')) }
    const pair = await new FileKeyStore({ keyDir, files: readOnly }).getOrCreate(generate2048)
    expect(await spkiFingerprint(pair.publicKey)).toBe(first.fingerprint)
  })

  it('hands out a non-extractable private key, whether generated or loaded', async () => {
    const keyDir = freshDir()
    for (const store of [new FileKeyStore({ keyDir, files: nodeFiles }), new FileKeyStore({ keyDir, files: nodeFiles })]) {
      const pair = await store.getOrCreate(generate2048)
      expect(pair.privateKey.extractable).toBe(false)
      await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow()
      await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow()
    }
  })

  it('encrypts the private key with the password (PBES2), which OpenSSL opens', async () => {
    const keyDir = freshDir()
    const { fingerprint } = await new SecureCompletionClient({ keyDir, keyPassword: PASSWORD, keySize: 2048 }).publicKey()
    const privatePath = join(keyDir, 'private_key.pem')
    const text = readFileSync(privatePath, 'utf8')
    expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/)
    expect(text).not.toContain(PASSWORD)
    expect(openssl('pkey', '-in', privatePath, '-passin', `pass:${PASSWORD}`, '-pubout')).toBe(
      readFileSync(join(keyDir, 'public_key.pem'), 'utf8'),
    )
    expect(openssl('asn1parse', '-in', privatePath)).toContain('PBES2')
    expect((await new SecureCompletionClient({ keyDir, keyPassword: PASSWORD }).publicKey()).fingerprint).toBe(fingerprint)
  })

  it('a wrong or missing password throws KeyError and never replaces the key file', async () => {
    const keyDir = freshDir()
    await new FileKeyStore({ keyDir, password: PASSWORD, files: nodeFiles }).getOrCreate(generate2048)
    const before = readFileSync(join(keyDir, 'private_key.pem'), 'utf8')
    for (const password of ['not the password', undefined]) {
      const client = new SecureCompletionClient({ keyDir, keyPassword: password, keySize: 2048 })
      const error = await client.publicKey().then(
        () => undefined,
        (e: unknown) => e as Error,
      )
      expect(error).toBeInstanceOf(KeyError)
      expect(error!.message).not.toContain('not the password')
      // A second attempt fails the same way (the failure is not cached as "no key yet").
      await expect(client.publicKey()).rejects.toBeInstanceOf(KeyError)
    }
    expect(readFileSync(join(keyDir, 'private_key.pem'), 'utf8')).toBe(before)
  })

  it('loads a key the Python client wrote (encrypted PKCS#8 from cryptography)', async () => {
    const keyDir = freshDir()
    const store = new FileKeyStore({ keyDir, password: PASSWORD, files: nodeFiles })
    await nodeFiles.writeText(store.privateKeyPath, readFileSync(new URL('python-cryptography-enc.pem', KEYS), 'utf8'), 0o600)
    copyFileSync(new URL('python-cryptography-public.pem', KEYS), store.publicKeyPath)
    const pair = await store.getOrCreate(() => Promise.reject(new Error('must not generate')))
    expect(await spkiFingerprint(pair.publicKey)).toBe(opensslFingerprint(store.publicKeyPath))
  })

  it('two creators at once end with one key: the second reads the winner instead of overwriting', async () => {
    const keyDir = freshDir()
    const stores = [0, 1, 2].map(() => new FileKeyStore({ keyDir, files: nodeFiles }))
    // Every creator finds no file and generates before any of them writes: the race is certain.
    let entered = 0
    let release!: () => void
    const allIn = new Promise<void>((resolve) => (release = resolve))
    const generate = async (extractable?: boolean) => {
      const pair = await generate2048(extractable)
      if (++entered === stores.length) release()
      await allIn
      return pair
    }
    const pairs = await Promise.all(stores.map((store) => store.getOrCreate(generate)))
    expect(entered).toBe(3)
    const fingerprints = await Promise.all(pairs.map((pair) => spkiFingerprint(pair.publicKey)))
    expect(new Set(fingerprints).size).toBe(1)
    expect(fingerprints[0]).toBe(opensslFingerprint(join(keyDir, 'public_key.pem')))
    const reloaded = await new FileKeyStore({ keyDir, files: nodeFiles }).getOrCreate(() => Promise.reject(new Error('must not generate')))
    expect(await spkiFingerprint(reloaded.publicKey)).toBe(fingerprints[0])
  })

  it('rotateKeys() replaces both files with a new pair', async () => {
    const keyDir = freshDir()
    const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true, keyDir, keySize: 2048 })
    const old = await client.client.publicKey()
    const rotated = await client.client.rotateKeys()
    expect(rotated.fingerprint).not.toBe(old.fingerprint)
    expect(opensslFingerprint(join(keyDir, 'public_key.pem'))).toBe(rotated.fingerprint)
    expect(mode(join(keyDir, 'private_key.pem'))).toBe(0o600)
    expect((await client.create({ model: 'm', messages })).choices[0]!.message.content).toBe('echo: hi')
    expect((await new SecureCompletionClient({ keyDir }).publicKey()).fingerprint).toBe(rotated.fingerprint)
  })

  it('rejects bad options with TypeErrors', () => {
    expect(() => new FileKeyStore({ keyDir: '', files: nodeFiles })).toThrow(TypeError)
    expect(() => new FileKeyStore({ keyDir: 'x' } as never)).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ keyDir: 'x', privateKeyPem: 'y' })).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ keyPassword: 'secret' })).toThrow(TypeError)
    expect(() => new SecureChatCompletion({ keyPassword: 'secret' })).not.toThrow(/secret/)
  })
})
