import { KeyError } from '../errors.js'
import { OpenTimeout, addIfAbsent, openDatabase, transact, withLock } from './indexeddb-requests.js'
import { PromiseCache } from '../promise-cache.js'
import type { KeyStore } from './types.js'

const RECORD_VERSION = 1

/** Why an {@link IndexedDBKeyStore} keeps its pair in memory instead. */
export type IndexedDBFallbackReason =
  /** No `indexedDB` in this context (old browser, some workers, server runtimes), or access to it threw. */
  | 'unavailable'
  /** Opening the database failed: storage disabled or blocked by the browser, private mode. */
  | 'open-failed'
  /** The database did not open within `timeout`. */
  | 'timeout'
  /** The browser refuses to store CryptoKeys (WebKit private mode throws DataCloneError). */
  | 'clone-refused'
  /** Reading or writing failed (quota, I/O, a closed connection). */
  | 'storage-failed'
  /** The slot holds something that is not a key pair (say, from a newer version); `delete()` clears it. */
  | 'invalid-record'

/** Options of {@link IndexedDBKeyStore}. */
export interface IndexedDBKeyStoreOptions {
  /** Name of the key slot: clients with the same slot share one pair. Default `'default'`. */
  slot?: string
  /** Default `'nomyo-secure'`. */
  databaseName?: string
  /** Milliseconds to wait for the database before falling back to memory. Default 10 000. */
  timeout?: number
  /** The `IDBFactory` to use. Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory
}

/**
 * Keeps the CryptoKeyPair itself in IndexedDB (the browser default). The structured clone keeps the
 * private key non-extractable: page code can use it but never read its bytes, and a reload reuses it
 * instead of generating a new RSA pair (seconds at 4096 bits).
 *
 * Tabs share the slot: creation runs under a Web Lock when the browser has them, and the record is
 * only ever added, never overwritten, so two tabs creating at once end with the same pair.
 *
 * Where IndexedDB is missing, fails to open, or refuses CryptoKeys (WebKit private mode), the store
 * keeps a pair in memory instead and says so: `persistent` becomes false, `status` `'memory'` and
 * `reason` tells why. It never throws for that, and never logs.
 *
 * @example Tell the user when keys will not survive a reload
 * ```ts
 * import { SecureChatCompletion, IndexedDBKeyStore } from 'nomyo-secure/browser'
 * const keyStore = new IndexedDBKeyStore({ slot: 'chat' })
 * const client = new SecureChatCompletion({ keyStore })
 * await client.client.publicKey()
 * if (keyStore.status === 'memory') banner.textContent = `Keys are not saved (${keyStore.reason})`
 * ```
 */
export class IndexedDBKeyStore implements KeyStore {
  readonly slot: string
  readonly databaseName: string
  readonly #timeout: number
  readonly #factory: IDBFactory | undefined
  #status: 'pending' | 'indexeddb' | 'memory' = 'pending'
  #reason: IndexedDBFallbackReason | undefined
  // Only a failed generation rejects, and it is forgotten: the next call tries again.
  readonly #pair = new PromiseCache<CryptoKeyPair>()

  constructor(options: IndexedDBKeyStoreOptions = {}) {
    const { slot = 'default', databaseName = 'nomyo-secure', timeout = 10_000 } = options
    if (typeof slot !== 'string' || !slot) throw new TypeError('IndexedDBKeyStore: slot must be a non-empty string')
    if (typeof databaseName !== 'string' || !databaseName) throw new TypeError('IndexedDBKeyStore: databaseName must be a non-empty string')
    if (typeof timeout !== 'number' || !(timeout > 0)) throw new TypeError('IndexedDBKeyStore: timeout must be a positive number')
    this.slot = slot
    this.databaseName = databaseName
    this.#timeout = timeout
    this.#factory = options.indexedDB ?? globalIndexedDB()
  }

  /**
   * `'indexeddb'` once the pair was read from or written to IndexedDB, `'memory'` after a fallback,
   * `'pending'` before the first `getOrCreate` settles.
   */
  get status(): 'pending' | 'indexeddb' | 'memory' {
    return this.#status
  }

  /** Why the pair is only in memory; undefined unless `status` is `'memory'`. */
  get reason(): IndexedDBFallbackReason | undefined {
    return this.#reason
  }

  /** False once the store fell back to memory (or when there is no IndexedDB at all); final after the first `getOrCreate`. */
  get persistent(): boolean {
    return this.#status === 'indexeddb' || (this.#status === 'pending' && this.#factory !== undefined)
  }

  getOrCreate(generate: () => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    return this.#pair.get(() => this.#obtain(generate))
  }

  /**
   * Forgets the pair and removes it from the slot, so the next `getOrCreate` creates a new one (in
   * IndexedDB again, even after a fallback). Other open tabs keep the old pair until they reload.
   *
   * @throws {KeyError} the stored pair could not be removed (it would otherwise come back).
   */
  async delete(): Promise<void> {
    this.#pair.clear()
    this.#status = 'pending'
    this.#reason = undefined
    const factory = this.#factory
    if (!factory) return
    await withLock(this.#lockName(), async () => {
      let db: IDBDatabase
      try {
        db = await openDatabase(factory, this.databaseName, this.#timeout)
      } catch {
        return // nothing can have been stored where the database does not open
      }
      try {
        await transact(db, 'readwrite', (store) => store.delete(this.slot))
      } catch (error) {
        throw new KeyError('Could not remove the stored key pair from IndexedDB', { cause: error })
      } finally {
        db.close()
      }
    })
  }

  async #obtain(generate: () => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    const factory = this.#factory
    if (!factory) return this.#fallback('unavailable', generate())
    return withLock(this.#lockName(), async () => {
      let db: IDBDatabase
      try {
        db = await openDatabase(factory, this.databaseName, this.#timeout)
      } catch (error) {
        return this.#fallback(error instanceof OpenTimeout ? 'timeout' : 'open-failed', generate())
      }
      let pair: CryptoKeyPair | undefined
      let generationFailed = false
      const create = () =>
        generate().catch((error: unknown) => {
          generationFailed = true
          throw error
        })
      try {
        // Without a lock two tabs can both find the slot empty; `add` lets only one of them write,
        // and the other reads the winner on the next turn.
        for (let turn = 0; turn < 3; turn++) {
          const stored = await transact<unknown>(db, 'readonly', (store) => store.get(this.slot))
          if (stored !== undefined) {
            if (!isStoredPair(stored)) return this.#fallback('invalid-record', pair ?? generate())
            this.#status = 'indexeddb'
            return { privateKey: stored.privateKey, publicKey: stored.publicKey }
          }
          pair ??= await create()
          const record = { version: RECORD_VERSION, privateKey: pair.privateKey, publicKey: pair.publicKey, createdAt: Date.now() }
          if (await addIfAbsent(db, this.slot, record)) {
            this.#status = 'indexeddb'
            return pair
          }
        }
        return this.#fallback('storage-failed', pair ?? generate())
      } catch (error) {
        if (generationFailed) throw error
        const reason = (error as { name?: unknown } | null)?.name === 'DataCloneError' ? 'clone-refused' : 'storage-failed'
        return this.#fallback(reason, pair ?? generate())
      } finally {
        db.close()
      }
    })
  }

  #fallback(reason: IndexedDBFallbackReason, pair: CryptoKeyPair | Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    this.#status = 'memory'
    this.#reason = reason
    return Promise.resolve(pair)
  }

  #lockName(): string {
    return `nomyo-secure:${this.databaseName}:${this.slot}`
  }
}

function globalIndexedDB(): IDBFactory | undefined {
  try {
    // Reading the global itself throws in some sandboxed frames.
    return (globalThis as { indexedDB?: IDBFactory }).indexedDB ?? undefined
  } catch {
    return undefined
  }
}

interface StoredPair {
  privateKey: CryptoKey
  publicKey: CryptoKey
}

function isStoredPair(value: unknown): value is StoredPair {
  if (typeof value !== 'object' || value === null) return false
  const { privateKey, publicKey } = value as Partial<StoredPair>
  const isKey = (key: unknown, type: KeyType): boolean =>
    typeof CryptoKey !== 'undefined' && key instanceof CryptoKey && key.type === type && key.algorithm.name === 'RSA-OAEP'
  return isKey(privateKey, 'private') && isKey(publicKey, 'public')
}
