/**
 * The protocol client: keys, the router key, sealing requests and opening answers. Mirrors the
 * reference Python `SecureCompletionClient` method for method, in camelCase.
 */
import { APIUserAbortError, DECRYPTION_FAILED, SecurityError } from '../errors.js'
import { InvalidRequestError } from '../api-errors.js'
import { seal, open, type SealedParts } from '../crypto/hybrid.js'
import { normalizeFingerprint } from '../crypto/rsa.js'
import { randomId } from '../crypto/random.js'
import { releaseBuffer } from '../crypto/release.js'
import { encodePackage, parsePackage } from '../protocol/package.js'
import { decodePlaintext, encodePlaintext } from '../protocol/plaintext.js'
import type { SecureResponse } from '../protocol/completion.js'
import { withSecureMetadata } from '../protocol/secure-metadata.js'
import * as P from '../protocol/constants.js'
import { KEY_BINDING_FIELD, KEY_BINDING_HEADER, KEY_BINDING_VERSION, keyBindingAad } from '../protocol/key-binding.js'
import { send, type TransportSettings } from '../transport/http.js'
import { MemoryKeyStore } from '../keystore/memory.js'
import type { KeyStore } from '../keystore/types.js'
import { KEY_BINDING_REFUSED, RouterKeyCache, type FetchedKey, type RouterKey } from './router-key.js'
import { ClientKeyPair, type GenerateKeysOptions, type PublicKeyInfo } from './client-key-pair.js'
import type { ClientOverrides, RequestOptions, SecureCompletionClientOptions } from './client-options.js'
import { checkApiKey, checkPositive, checkSecurityTier, normalizeRouterUrl } from './options.js'
import { raceAbort } from './abort.js'

export type { ClientOverrides, RequestOptions, SecureCompletionClientOptions } from './client-options.js'
export type { GenerateKeysOptions, PublicKeyInfo } from './client-key-pair.js'

/** What a client made by `withOptions()` takes over from the client it came from. */
interface Shared {
  keyPair: ClientKeyPair
  /** Taken over when the copy talks to the same router. */
  routerKey: RouterKeyCache
  routerUrl: string
}
/** Carries {@link Shared} into the constructor without making it part of the public options. */
const SHARED = Symbol('shared')

/**
 * Seals chat-completion payloads to a NOMYO router and opens its sealed answers.
 *
 * @example
 * ```ts
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12435' })
 * const answer = await client.sendSecureRequest({ model: 'Qwen/Qwen3-0.6B', messages }, crypto.randomUUID(), apiKey, 'high')
 * ```
 */
export class SecureCompletionClient {
  readonly routerUrl: string
  readonly secureMemory: boolean
  readonly #options: SecureCompletionClientOptions
  readonly #keyPair: ClientKeyPair
  readonly #routerKey: RouterKeyCache

  constructor(options: SecureCompletionClientOptions = {}) {
    // Browsers give WebCrypto only to secure contexts: say so here, not as a TypeError from deep inside.
    if (!globalThis.crypto?.subtle) {
      throw new SecurityError(
        'WebCrypto (crypto.subtle) is unavailable: browsers offer it only to pages served over https:// or from localhost',
      )
    }
    const shared = (options as { [SHARED]?: Shared })[SHARED]
    this.#options = { ...options }
    this.routerUrl = normalizeRouterUrl(options.routerUrl ?? P.DEFAULT_ROUTER_URL, options.allowHttp === true)
    this.secureMemory = options.secureMemory !== false
    checkPositive(options.timeout, 'timeout', 1)
    checkPositive(options.maxRetries, 'maxRetries', 0, true)
    this.#keyPair = shared?.keyPair ?? new ClientKeyPair(options.keyStore ?? new MemoryKeyStore(), options.keySize, options.files)
    this.#routerKey =
      shared?.routerUrl === this.routerUrl
        ? shared.routerKey
        : new RouterKeyCache(
            () => this.#fetchRouterKey(),
            options.routerKeyPins?.map(normalizeFingerprint),
            // A known router key belongs to the router it was given for, not to a copy pointed elsewhere.
            shared ? undefined : options.routerPublicKey,
            options.keyBinding !== 'off',
          )
  }

  /**
   * A client with some options changed that shares this one's key pair (and, for the same
   * `routerUrl`, its cached router key), as `withOptions` in the `openai` package.
   *
   * @example
   * ```ts
   * const patient = client.withOptions({ timeout: 600_000, maxRetries: 5 })
   * ```
   */
  withOptions(overrides: ClientOverrides): this {
    const shared: Shared = { keyPair: this.#keyPair, routerKey: this.#routerKey, routerUrl: this.routerUrl }
    // The same class: a runtime entry's client stays an instance of that entry's class.
    return new (this.constructor as typeof SecureCompletionClient)({
      ...this.#options,
      ...overrides,
      [SHARED]: shared,
    } as SecureCompletionClientOptions) as this
  }

  /** The key store behind this client (e.g. to show an `IndexedDBKeyStore`'s `status` and `reason`). */
  get keyStore(): KeyStore {
    return this.#keyPair.store
  }

  /** Whether the client key pair survives a restart (its key store is persistent and no key was set by hand). */
  get keysPersisted(): boolean {
    return this.#keyPair.persisted
  }

  /**
   * Generates a new RSA key pair and makes it this client's. With `saveToFile` the pair is written
   * in the reference layout (`keyDir/private_key.pem` 0600, encrypted when `password` is given, and
   * `keyDir/public_key.pem`), then the private key is re-imported non-extractable.
   */
  generateKeys(options: GenerateKeysOptions = {}): Promise<PublicKeyInfo> {
    return this.#keyPair.generate(options)
  }

  /**
   * Loads this client's key pair. `privateKey` is PEM text (PKCS#8, encrypted PKCS#8 or PKCS#1) or,
   * where the runtime has files, a path. The public key is derived from the private key when
   * `publicKey` is not given; when it is given it must match.
   */
  loadKeys(privateKey: string, publicKey?: string, password?: string): Promise<PublicKeyInfo> {
    return this.#keyPair.load(privateKey, publicKey, password)
  }

  /**
   * Replaces the client key pair: the key store forgets the old pair and a new one is generated
   * (and stored, for persistent stores). Answers in flight to the old key can no longer be opened.
   */
  rotateKeys(): Promise<PublicKeyInfo> {
    return this.#keyPair.rotate()
  }

  /** The client public key (SPKI PEM) and its SHA-256 fingerprint, creating the pair if needed. */
  publicKey(): Promise<PublicKeyInfo> {
    return this.#keyPair.info()
  }

  /** Fetches (once per client; cached) and returns the router's public key PEM, checked against the pins. */
  async fetchServerPublicKey(): Promise<string> {
    return (await this.#routerKey.get()).pem
  }

  /** Seals a chat-completion payload to the router key; returns the package bytes as sent on the wire. */
  async encryptPayload(payload: Record<string, unknown>): Promise<Uint8Array> {
    const plaintext = encodePlaintext(payload)
    let routerKey: RouterKey
    try {
      routerKey = await this.#routerKey.get()
    } catch (error) {
      if (this.secureMemory) plaintext.fill(0)
      throw error
    }
    return this.#sealTo(plaintext, routerKey)
  }

  /**
   * Opens a sealed answer with this client's private key. Returns whatever JSON object was sealed
   * (as the reference client does; only `create()` insists on a chat completion), with `payload_id`,
   * `processed_at`, `is_encrypted`, `encryption_algorithm` (and `key_bound`) merged into its
   * `_metadata`. An answer marked as key-bound opens only for `payloadId` and this client's key.
   */
  decryptResponse(encryptedResponse: Uint8Array | ArrayBuffer | string, payloadId: string): Promise<SecureResponse> {
    return this.#open(encryptedResponse, payloadId, false)
  }

  /** `owned`: the bytes are this client's own answer body, decoded in place and released as it goes. */
  async #open(encryptedResponse: Uint8Array | ArrayBuffer | string, payloadId: string, owned: boolean): Promise<SecureResponse> {
    const bytes = encryptedResponse instanceof ArrayBuffer ? new Uint8Array(encryptedResponse) : encryptedResponse
    const { parts, algorithm, extra } = parsePackage(bytes, { inPlace: owned })
    const bound = extra[KEY_BINDING_FIELD] === KEY_BINDING_VERSION
    const keys = await this.#keyPair.get()
    const aad = bound ? keyBindingAad('response', keys.fingerprint, payloadId) : undefined
    const answer = decodePlaintext(await open(parts, keys.privateKey, aad, { consume: true }), this.secureMemory)
    return withSecureMetadata(answer, { payloadId, processedAt: extra.processed_at, algorithm, bound })
  }

  /**
   * Seals `payload`, posts it to `/v1/chat/secure_completion` and opens the answer. When the router
   * answers 400 to a package sealed to a cached key that has since changed, the request is sealed
   * to the new key and sent once more.
   */
  async sendSecureRequest(
    payload: Record<string, unknown>,
    payloadId: string = randomId(),
    apiKey?: string,
    securityTier?: string,
    options: RequestOptions = {},
  ): Promise<SecureResponse> {
    const tier = checkSecurityTier(securityTier)
    const key = checkApiKey(apiKey)
    // Encoded before anything else so a bad payload fails before any network traffic; a resend
    // after a router key change encodes it again, as the first package was written over it.
    let plaintext: Uint8Array | undefined = encodePlaintext(payload)
    try {
      const [keys, routerKey] = await raceAbort(Promise.all([this.#keyPair.get(), this.#routerKey.get()]), options.signal)
      // The caller's headers first, so they can never replace one the protocol needs.
      const headers = new Headers(this.#options.headers)
      for (const [name, value] of new Headers(options.headers)) headers.set(name, value)
      headers.set('Content-Type', 'application/octet-stream')
      headers.set(P.HEADER_PAYLOAD_ID, payloadId)
      headers.set(P.HEADER_PUBLIC_KEY, keys.header)
      if (key) headers.set('Authorization', `Bearer ${key}`)
      if (tier) headers.set(P.HEADER_SECURITY_TIER, tier)
      let sentBound = false
      const post = async (target: RouterKey) => {
        if (!target.bound && this.#options.keyBinding === 'require') throw new SecurityError(KEY_BINDING_REFUSED)
        const aad = target.bound ? keyBindingAad('request', keys.fingerprint, payloadId) : undefined
        const body = await this.#sealTo(plaintext ?? encodePlaintext(payload), target, aad)
        plaintext = undefined
        sentBound = target.bound
        return send(
          {
            url: this.routerUrl + P.SECURE_COMPLETION_PATH,
            method: 'POST',
            headers,
            body,
            disposableBody: true,
            signal: options.signal,
            requestId: payloadId,
          },
          this.#transport(options),
        )
      }
      let answer: Awaited<ReturnType<typeof post>>
      try {
        answer = await post(routerKey)
      } catch (error) {
        // Only a plain 400 can mean the package was sealed to a key the router no longer has.
        if (!(error instanceof InvalidRequestError) || error.status !== 400) throw error
        // A refetch that fails keeps the router's 400, except a pin mismatch: that is the real news.
        const fresh = await raceAbort(this.#routerKey.refresh(routerKey), options.signal).catch((refetchError: unknown) => {
          if (refetchError instanceof SecurityError || refetchError instanceof APIUserAbortError) throw refetchError
          return routerKey
        })
        if (fresh.fingerprint === routerKey.fingerprint) throw error
        this.#options.logger?.warn?.('nomyo-secure: the router key changed; resending sealed to the new key')
        answer = await post(fresh)
      }
      const opened = await this.#open(answer.body, payloadId, true)
      // Bound out, bound back: an unbound answer to a bound request is an old one replayed.
      if ((opened._metadata.key_bound === true) !== sentBound) throw new SecurityError(DECRYPTION_FAILED)
      return opened
    } finally {
      if (plaintext && this.secureMemory) plaintext.fill(0)
    }
  }

  /**
   * Seals `plaintext` (from {@link encodePlaintext}) and writes the package over it: one buffer
   * instead of two for a big request, and no plaintext left behind. WebCrypto copies its input when
   * called, so overwriting it afterwards is safe; Node's cipher writes the ciphertext over it.
   */
  async #sealTo(plaintext: Uint8Array, routerKey: RouterKey, aad?: Uint8Array): Promise<Uint8Array> {
    let parts: SealedParts
    try {
      parts = await seal(plaintext, routerKey.key, aad, { consume: true })
    } catch (error) {
      if (this.secureMemory) plaintext.fill(0)
      throw error
    }
    const marker = aad && { [KEY_BINDING_FIELD]: KEY_BINDING_VERSION }
    const sealed = encodePackage(parts, marker, new Uint8Array(plaintext.buffer))
    // WebCrypto's ciphertext is dead once its base64 is written (Node's lives in `sealed`'s buffer).
    if (parts.ciphertext.buffer !== sealed.buffer) releaseBuffer(parts.ciphertext)
    // A package that did not fit went elsewhere (a key over 8192 bits, or mostly non-ASCII text).
    if (sealed.buffer !== plaintext.buffer && this.secureMemory) plaintext.fill(0)
    return sealed
  }

  async #fetchRouterKey(): Promise<FetchedKey> {
    const answer = await send(
      { url: this.routerUrl + P.PUBLIC_KEY_PATH, method: 'GET', headers: { Accept: 'text/plain' } },
      { ...this.#transport({}), maxResponseBytes: 64 * 1024 },
    )
    const bound = this.#options.keyBinding !== 'off' && answer.headers.get(KEY_BINDING_HEADER) === KEY_BINDING_VERSION
    return { pem: new TextDecoder().decode(answer.body), bound }
  }

  #transport(options: RequestOptions): TransportSettings {
    // `fetch`, `logger` and `streamUploads` as the client has them; the transport ignores the rest.
    return {
      ...this.#options,
      timeout: checkPositive(options.timeout, 'timeout', this.#options.timeout ?? 300_000),
      maxRetries: checkPositive(options.maxRetries, 'maxRetries', this.#options.maxRetries ?? 2, true),
      maxResponseBytes: this.#options.maxResponseBytes ?? P.MAX_RESPONSE_BYTES,
    }
  }
}
