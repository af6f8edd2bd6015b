import { PromiseCache } from '../promise-cache.js'
import type { KeyStore } from './types.js'

/**
 * Keeps the pair in memory for the life of the store: ephemeral, like the reference client's
 * default. Concurrent first callers share one generation.
 *
 * @example
 * ```ts
 * const client = new SecureChatCompletion({ keyStore: new MemoryKeyStore() })
 * ```
 */
export class MemoryKeyStore implements KeyStore {
  readonly persistent = false
  // A failed generation is forgotten: the next call tries again.
  readonly #pair = new PromiseCache<CryptoKeyPair>()

  getOrCreate(generate: () => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    return this.#pair.get(generate)
  }

  async delete(): Promise<void> {
    this.#pair.clear()
  }
}
