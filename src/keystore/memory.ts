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
  #pair: Promise<CryptoKeyPair> | undefined

  getOrCreate(generate: () => Promise<CryptoKeyPair>): Promise<CryptoKeyPair> {
    const pending = (this.#pair ??= generate())
    // A failed generation must not stick: the next call tries again.
    pending.catch(() => {
      if (this.#pair === pending) this.#pair = undefined
    })
    return pending
  }

  async delete(): Promise<void> {
    this.#pair = undefined
  }
}
