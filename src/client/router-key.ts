/**
 * The router's public key, fetched once per client and shared: concurrent first requests wait on
 * one fetch, and a failed fetch is forgotten so the next request tries again.
 *
 * Trust (SECURITY.md): a shipped key (`routerPublicKey`) is a pin that nothing replaces — a fetch
 * only learns whether the router advertises key binding. With pins, a fetched key outside them is
 * refused before anything is sealed to it. Without either, the router's word at each fetch is
 * trusted. Once any fetch advertised key binding, a later fetch without it is a downgrade.
 */
import { SecurityError } from '../errors.js'
import { importPublicKeyPem, spkiFingerprint } from '../crypto/rsa.js'
import { PromiseCache } from '../promise-cache.js'

export interface RouterKey {
  pem: string
  key: CryptoKey
  /** SHA-256 of the SPKI DER, lowercase hex. */
  fingerprint: string
  /** Whether the router advertised key binding with this key. */
  bound: boolean
}

/** What one `GET /pki/public_key` said. */
export interface FetchedKey {
  pem: string
  bound: boolean
}

/** The one message of every key-binding refusal: the router does not (or no longer) advertise it. */
export const KEY_BINDING_REFUSED = 'The router offers no key binding (keyBinding); nothing was sent'

export class RouterKeyCache {
  readonly #current = new PromiseCache<RouterKey>()
  readonly #fetch: () => Promise<FetchedKey>
  readonly #pins: ReadonlySet<string> | undefined
  readonly #shipped: boolean
  #sawBinding = false

  /**
   * `shipped`: a PEM that nothing replaces; `fetch` then only learns the router's advertisement,
   * and only when `learn` (keyBinding not 'off'). A router that cannot be asked does not advertise.
   */
  constructor(fetch: () => Promise<FetchedKey>, pins?: Iterable<string>, shipped?: string, learn = true) {
    this.#shipped = shipped !== undefined
    this.#fetch = this.#shipped
      ? async () => ({ pem: shipped!, bound: learn && (await fetch().catch(() => ({ bound: false }))).bound })
      : fetch
    const set = pins ? new Set(pins) : undefined
    this.#pins = set && set.size > 0 ? set : undefined
  }

  /** The cached key, fetching it when there is none yet. */
  get(): Promise<RouterKey> {
    return this.#current.get(() => this.#load())
  }

  /**
   * Fetches the key again after the router rejected a package sealed to `stale`. Concurrent callers
   * holding the same stale key share one refetch. A shipped key is never replaced.
   */
  async refresh(stale: RouterKey): Promise<RouterKey> {
    const current = await this.#current.current?.catch(() => undefined)
    if (this.#shipped || (current && current !== stale)) return current ?? stale
    return this.#current.keep(this.#load())
  }

  #load(): Promise<RouterKey> {
    return this.#fetch().then((fetched) => this.#check(fetched))
  }

  async #check(fetched: FetchedKey): Promise<RouterKey> {
    const key = await importPublicKeyPem(fetched.pem, 'router public key')
    const fingerprint = await spkiFingerprint(key)
    if (this.#pins && !this.#pins.has(fingerprint)) {
      throw new SecurityError('The router public key does not match any pinned fingerprint; nothing was sent')
    }
    // Binding is the router's property, not one key's: a later fetch without it is a downgrade.
    if (this.#sawBinding && !fetched.bound) throw new SecurityError(KEY_BINDING_REFUSED)
    this.#sawBinding ||= fetched.bound
    return { ...fetched, key, fingerprint }
  }
}
