/**
 * The router's public key, fetched once per client and shared: concurrent first requests wait on
 * one fetch, and a failed fetch is forgotten so the next request tries again. With pins set, a key
 * whose SPKI fingerprint is not pinned is refused before anything is encrypted to it.
 */
import { SecurityError } from '../errors.js'
import { importPublicKeyPem, spkiFingerprint } from '../crypto/rsa.js'
import { PromiseCache } from '../promise-cache.js'

export interface RouterKey {
  pem: string
  key: CryptoKey
  /** SHA-256 of the SPKI DER, lowercase hex. */
  fingerprint: string
}

export class RouterKeyCache {
  readonly #current = new PromiseCache<RouterKey>()
  readonly #fetchPem: () => Promise<string>
  readonly #pins: ReadonlySet<string> | undefined

  constructor(fetchPem: () => Promise<string>, pins?: Iterable<string>) {
    this.#fetchPem = fetchPem
    const set = pins ? new Set(pins) : undefined
    this.#pins = set && set.size > 0 ? set : undefined
  }

  /** The cached key, fetching it when there is none yet. */
  get(): Promise<RouterKey> {
    return this.#current.get(() => this.#load())
  }

  /**
   * Fetches the key again after the router rejected a package sealed to `stale`. Concurrent callers
   * holding the same stale key share one refetch.
   */
  async refresh(stale: RouterKey): Promise<RouterKey> {
    const current = await this.#current.current?.catch(() => undefined)
    if (current && current !== stale) return current
    return this.#current.keep(this.#load())
  }

  /**
   * Uses a known PEM instead of fetching (e.g. shipped with the app); still checked against the pins.
   * A refused PEM stays refused: falling back to a fetched key would bypass the one given.
   */
  set(pem: string): Promise<RouterKey> {
    return this.#current.pin(this.#check(pem))
  }

  #load(): Promise<RouterKey> {
    return this.#fetchPem().then((pem) => this.#check(pem))
  }

  async #check(pem: string): Promise<RouterKey> {
    const key = await importPublicKeyPem(pem, 'router public key')
    const fingerprint = await spkiFingerprint(key)
    if (this.#pins && !this.#pins.has(fingerprint)) {
      throw new SecurityError('The router public key does not match any pinned fingerprint; nothing was sent')
    }
    return { pem, key, fingerprint }
  }
}
