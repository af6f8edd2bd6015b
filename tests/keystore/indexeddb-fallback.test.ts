// Node has no IndexedDB, which is exactly the "missing" case. The real IndexedDB behaviour (reload,
// tabs, non-extractable read-back, WebKit's DataCloneError) is proven in Chromium: e2e/browser-keystore.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IndexedDBKeyStore, SecureCompletionClient } from '../../src/runtime/browser.js'
import { generateRsaKeyPair } from '../../src/crypto/rsa.js'

const consoleSpies = () => (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('IndexedDBKeyStore where IndexedDB is unusable', () => {
  it('without IndexedDB: falls back to memory, says so, and generates once for concurrent callers', async () => {
    const spies = consoleSpies()
    const store = new IndexedDBKeyStore()
    expect(store.persistent).toBe(false)
    let generated = 0
    const generate = () => (generated++, generateRsaKeyPair(2048))
    const pairs = await Promise.all([store.getOrCreate(generate), store.getOrCreate(generate)])
    expect(pairs[1]).toBe(pairs[0])
    expect(generated).toBe(1)
    expect(store.status).toBe('memory')
    expect(store.reason).toBe('unavailable')
    expect(store.persistent).toBe(false)
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
  })

  it('the browser entry client still works and reports keys as not persisted', async () => {
    const client = new SecureCompletionClient({ keySize: 2048 })
    await client.publicKey()
    expect(client.keysPersisted).toBe(false)
  })

  it('open throwing (storage blocked) falls back with reason open-failed', async () => {
    const factory = {
      open: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      },
    } as unknown as IDBFactory
    const store = new IndexedDBKeyStore({ indexedDB: factory })
    expect(store.persistent).toBe(true) // optimistic until the first getOrCreate settles
    await store.getOrCreate(() => generateRsaKeyPair(2048))
    expect([store.status, store.reason, store.persistent]).toEqual(['memory', 'open-failed', false])
  })

  it('open never answering falls back after the timeout', async () => {
    const factory = { open: () => ({}) } as unknown as IDBFactory
    const store = new IndexedDBKeyStore({ indexedDB: factory, timeout: 50 })
    await store.getOrCreate(() => generateRsaKeyPair(2048))
    expect([store.status, store.reason]).toEqual(['memory', 'timeout'])
  })

  it('a failed generation is not cached', async () => {
    const store = new IndexedDBKeyStore()
    await expect(store.getOrCreate(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(store.getOrCreate(() => generateRsaKeyPair(2048))).resolves.toHaveProperty('privateKey')
  })

  it('delete() forgets the memory pair', async () => {
    const store = new IndexedDBKeyStore()
    const first = await store.getOrCreate(() => generateRsaKeyPair(2048))
    await store.delete()
    expect(await store.getOrCreate(() => generateRsaKeyPair(2048))).not.toBe(first)
  })

  it('rejects bad options with TypeErrors', () => {
    expect(() => new IndexedDBKeyStore({ slot: '' })).toThrow(TypeError)
    expect(() => new IndexedDBKeyStore({ timeout: 0 })).toThrow(TypeError)
    expect(() => new SecureCompletionClient({ keySlot: 'a', keyStore: new IndexedDBKeyStore() })).toThrow(TypeError)
  })
})
