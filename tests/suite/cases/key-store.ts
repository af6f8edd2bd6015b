/**
 * Key stores every runtime has: memory (one pair per store, however many first callers race for
 * it) and the PEM secret of Workers and edge functions.
 */
import { equal, ok, rejects } from '../assert.ts'
import { echoOf, hello } from '../helpers.ts'
import type { Case } from '../types.ts'

/** A stand-in pair: the store never looks inside, and a real RSA-4096 generation costs seconds. */
const fakePair = () => ({ privateKey: {}, publicKey: {} }) as unknown as CryptoKeyPair
const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

export const keyStoreCases: Case[] = [
  {
    name: 'memory key store: concurrent first calls share one generation',
    async run({ lib }) {
      const store = new lib.MemoryKeyStore()
      let generations = 0
      const generate = async () => {
        generations++
        await tick()
        return fakePair()
      }
      const pairs = await Promise.all(Array.from({ length: 8 }, () => store.getOrCreate(generate)))
      equal(generations, 1, 'generations')
      ok(
        pairs.every((pair) => pair === pairs[0]),
        'every caller got the same pair',
      )
      equal(store.persistent, false, 'persistent')
    },
  },
  {
    name: 'memory key store: delete() forgets the pair and a failed generation does not stick',
    async run({ lib }) {
      const store = new lib.MemoryKeyStore()
      const first = await store.getOrCreate(async () => fakePair())
      await store.delete()
      const second = await store.getOrCreate(async () => fakePair())
      ok(first !== second, 'a new pair after delete()')

      const fresh = new lib.MemoryKeyStore()
      await rejects(
        fresh.getOrCreate(() => Promise.reject(new Error('entropy ran out'))),
        Error,
        'failed generation',
      )
      await tick()
      const recovered = await fresh.getOrCreate(async () => fakePair())
      ok(recovered, 'the next call generates again')
    },
  },
  {
    name: 'PEM secret key store: clients built from an encrypted secret use its key; it cannot be rotated from inside',
    async run({ lib, routerUrl, vectors, runtime }) {
      if (runtime.startsWith('chromium'))
        return equal(lib.PemKeyStore, undefined, 'the browser entry has no PemKeyStore (keys live in IndexedDB)')
      ok(lib.PemKeyStore, 'server and edge entries export PemKeyStore')
      const secret = vectors.keys.files.find((key) => key.password && key.expect === 'ok')
      ok(secret, 'the vectors include an encrypted key')
      const keyStore = new lib.PemKeyStore(secret.pem, secret.password)
      const client = new lib.SecureChatCompletion({ baseUrl: routerUrl, allowHttp: true, maxRetries: 0, keyStore })
      const answer = await client.create({ model: 'm', messages: hello })
      equal(echoOf(answer).x_client_key.replace(/\s+/g, ''), secret.publicPem.replace(/\s+/g, ''), 'the public key of the secret')
      equal(client.client.keysPersisted, true, 'keysPersisted')
      await rejects(keyStore.delete(), TypeError, 'delete()')
    },
  },
]
