/** Where a client's RSA key pair lives between requests. */

/**
 * A store of one client key pair. The private key it hands out is non-extractable.
 *
 * `getOrCreate` is the only way to obtain the pair: it returns the stored pair, or creates one with
 * `generate` and stores it. A store that can be shared (IndexedDB across tabs, a key directory
 * across processes) must make concurrent creators end with the same pair, not overwrite each other.
 *
 * @example A store that keeps the pair in a variable of yours
 * ```ts
 * let pair: CryptoKeyPair | undefined
 * const store: KeyStore = {
 *   persistent: false,
 *   async getOrCreate(generate) { return (pair ??= await generate()) },
 *   async delete() { pair = undefined },
 * }
 * ```
 */
export interface KeyStore {
  /** Whether the pair survives a restart (page reload, process restart). */
  readonly persistent: boolean
  /**
   * `generate(true)` makes an extractable pair, for stores that must write the private key out once
   * (and then keep only a non-extractable copy); `generate()` makes a non-extractable one.
   */
  getOrCreate(generate: (extractable?: boolean) => Promise<CryptoKeyPair>): Promise<CryptoKeyPair>
  /** Forgets the stored pair, so the next `getOrCreate` creates a new one. */
  delete(): Promise<void>
}
