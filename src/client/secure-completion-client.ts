/**
 * The protocol client: keys, the router key, sealing requests and opening answers. Mirrors the
 * reference Python `SecureCompletionClient` method for method, in camelCase.
 */
import { APIUserAbortError, ProtocolError, SecurityError } from '../errors.js'
import { InvalidRequestError } from '../api-errors.js'
import { seal, open, type SealedParts } from '../crypto/hybrid.js'
import { exportPublicKeyPem, generateRsaKeyPair, importPublicKeyPem, normalizeFingerprint } from '../crypto/rsa.js'
import { importPrivateKeyPem, exportPrivateKeyPem } from '../crypto/pkcs8-lazy.js'
import { randomId } from '../crypto/random.js'
import { encodePackage, parsePackage } from '../protocol/package.js'
import { decodePlaintext, encodePlaintext } from '../protocol/plaintext.js'
import type { SecureMetadata, SecureResponse } from '../protocol/completion.js'
import * as P from '../protocol/constants.js'
import { send, type FetchFunction } from '../transport/http.js'
import type { Logger } from '../transport/logger.js'
import { MemoryKeyStore } from '../keystore/memory.js'
import type { KeyStore } from '../keystore/types.js'
import { DEFAULT_KEY_DIR, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, isPemText, type FileAccess } from '../keystore/files/file-access.js'
import { RouterKeyCache, type RouterKey } from './router-key.js'
import { describeKeyPair, type ClientKeys } from './client-keys.js'
import { checkApiKey, checkPositive, checkSecurityTier, normalizeRouterUrl } from './options.js'
import { raceAbort } from './abort.js'
import { PromiseCache } from '../promise-cache.js'

/** Options of {@link SecureCompletionClient}. */
export interface SecureCompletionClientOptions {
  /** Router base URL. Default `https://api.nomyo.ai:12434`. */
  routerUrl?: string
  /** Allow `http://` (local development only). Default false: http URLs throw a `SecurityError`. */
  allowHttp?: boolean
  /** Zero plaintext byte buffers as soon as they are used (best effort in JS). Default true. */
  secureMemory?: boolean
  /** Milliseconds per attempt, including reading the answer. Default 300 000. */
  timeout?: number
  /** Retries of retryable failures (connection refused, 408/429/502/503/504). Default 2. */
  maxRetries?: number
  /** A `fetch` to use instead of the global one. */
  fetch?: FetchFunction
  /** Where the client key pair lives. Default: memory (a fresh pair per client, like the reference). */
  keyStore?: KeyStore
  /** RSA modulus of generated keys. Default 4096. */
  keySize?: number
  /** SHA-256 fingerprints (hex of the SPKI DER) the router key must match; empty means no pinning. */
  routerKeyPins?: string[]
  /** The router's public key PEM, when known in advance: it is then never fetched. */
  routerPublicKey?: string
  /** Largest answer read, in bytes. Default 16 MiB. */
  maxResponseBytes?: number
  /** Receives diagnostics; nothing is logged without one. */
  logger?: Logger
  /** File access for key files (set by the Node, Deno and Bun entries). */
  files?: FileAccess
}

/** Per-request options. */
export interface RequestOptions {
  signal?: AbortSignal
  /** Overrides the client's `timeout` for this request. */
  timeout?: number
}

/** Options of {@link SecureCompletionClient.generateKeys}. */
export interface GenerateKeysOptions {
  saveToFile?: boolean
  keyDir?: string
  password?: string
  keySize?: number
}

/**
 * Seals chat-completion payloads to a NOMYO router and opens its sealed answers.
 *
 * @example
 * ```ts
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12434' })
 * const answer = await client.sendSecureRequest({ model: 'Qwen/Qwen3-0.6B', messages }, crypto.randomUUID(), apiKey, 'high')
 * ```
 */
export class SecureCompletionClient {
  readonly routerUrl: string
  readonly secureMemory: boolean
  readonly #options: SecureCompletionClientOptions
  readonly #keyStore: KeyStore
  readonly #routerKey: RouterKeyCache
  // A failed load (a refused key, an unreadable key file) is forgotten: the next request tries again.
  readonly #keys = new PromiseCache<ClientKeys>()

  constructor(options: SecureCompletionClientOptions = {}) {
    // Browsers give WebCrypto only to secure contexts: say so here, not as a TypeError from deep inside.
    if (!globalThis.crypto?.subtle) {
      throw new SecurityError(
        'WebCrypto (crypto.subtle) is unavailable: browsers offer it only to pages served over https:// or from localhost',
      )
    }
    this.#options = { ...options }
    this.routerUrl = normalizeRouterUrl(options.routerUrl ?? 'https://api.nomyo.ai:12434', options.allowHttp === true)
    this.secureMemory = options.secureMemory !== false
    checkPositive(options.timeout, 'timeout', 1)
    checkPositive(options.maxRetries, 'maxRetries', 0, true)
    this.#keyStore = options.keyStore ?? new MemoryKeyStore()
    this.#routerKey = new RouterKeyCache(() => this.#fetchRouterPem(), options.routerKeyPins?.map(normalizeFingerprint))
    if (options.routerPublicKey !== undefined) void this.#routerKey.set(options.routerPublicKey)
  }

  /** The key store behind this client (e.g. to show an `IndexedDBKeyStore`'s `status` and `reason`). */
  get keyStore(): KeyStore {
    return this.#keyStore
  }

  /** Whether the client key pair survives a restart (its key store is persistent and no key was set by hand). */
  get keysPersisted(): boolean {
    return this.#keyStore.persistent && !this.#manualKeys
  }
  #manualKeys = false

  /**
   * Generates a new RSA key pair and makes it this client's. With `saveToFile` the pair is written
   * in the reference layout (`keyDir/private_key.pem` 0600, encrypted when `password` is given, and
   * `keyDir/public_key.pem`), then the private key is re-imported non-extractable.
   */
  async generateKeys(options: GenerateKeysOptions = {}): Promise<{ publicKeyPem: string; fingerprint: string }> {
    const bits = options.keySize ?? this.#options.keySize
    let keys: Promise<ClientKeys>
    if (options.saveToFile) {
      const files = this.#files('generateKeys({ saveToFile: true })')
      const dir = options.keyDir ?? DEFAULT_KEY_DIR
      const pair = await generateRsaKeyPair(bits, true)
      const privatePem = await exportPrivateKeyPem(pair.privateKey, options.password)
      await files.writeText(files.join(dir, PRIVATE_KEY_FILE), privatePem, 0o600)
      await files.writeText(files.join(dir, PUBLIC_KEY_FILE), await exportPublicKeyPem(pair.publicKey), 0o644)
      // Reading back what was written proves the file loads, and leaves only a non-extractable key.
      keys = importPrivateKeyPem(privatePem, options.password).then(describeKeyPair)
    } else {
      keys = generateRsaKeyPair(bits).then(describeKeyPair)
    }
    const described = await this.#setKeys(keys)
    return { publicKeyPem: described.publicPem, fingerprint: described.fingerprint }
  }

  /**
   * Loads this client's key pair. `privateKey` is PEM text (PKCS#8, encrypted PKCS#8 or PKCS#1) or,
   * where the runtime has files, a path. The public key is derived from the private key when
   * `publicKey` is not given; when it is given it must match.
   */
  async loadKeys(privateKey: string, publicKey?: string, password?: string): Promise<{ publicKeyPem: string; fingerprint: string }> {
    if (typeof privateKey !== 'string') throw new TypeError('loadKeys: privateKey must be PEM text or a file path')
    const privatePem = isPemText(privateKey) ? privateKey : await this.#files('loadKeys(path)').readText(privateKey)
    const pair = await importPrivateKeyPem(privatePem, password)
    const described = await describeKeyPair(pair)
    if (publicKey !== undefined) {
      const publicPem = isPemText(publicKey) ? publicKey : await this.#files('loadKeys(path)').readText(publicKey)
      const given = await describeKeyPair({ privateKey: pair.privateKey, publicKey: await importPublicKeyPem(publicPem, 'public key') })
      if (given.fingerprint !== described.fingerprint) throw new TypeError('loadKeys: the public key does not belong to the private key')
    }
    await this.#setKeys(Promise.resolve(described))
    return { publicKeyPem: described.publicPem, fingerprint: described.fingerprint }
  }

  /**
   * Replaces the client key pair: the key store forgets the old pair and a new one is generated
   * (and stored, for persistent stores). Answers in flight to the old key can no longer be opened.
   */
  async rotateKeys(): Promise<{ publicKeyPem: string; fingerprint: string }> {
    await this.#keyStore.delete()
    this.#keys.clear()
    this.#manualKeys = false
    return this.publicKey()
  }

  /** The client public key (SPKI PEM) and its SHA-256 fingerprint, creating the pair if needed. */
  async publicKey(): Promise<{ publicKeyPem: string; fingerprint: string }> {
    const keys = await this.#clientKeys()
    return { publicKeyPem: keys.publicPem, fingerprint: keys.fingerprint }
  }

  /** @internal The current pair, for the per-call `base_url` clients of a SecureChatCompletion. */
  async _keyPair(): Promise<CryptoKeyPair> {
    const keys = await this.#clientKeys()
    return { privateKey: keys.privateKey, publicKey: keys.publicKey }
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
   * `processed_at`, `is_encrypted` and `encryption_algorithm` merged into its `_metadata`.
   */
  async decryptResponse(encryptedResponse: Uint8Array | ArrayBuffer | string, payloadId: string): Promise<SecureResponse> {
    const bytes = encryptedResponse instanceof ArrayBuffer ? new Uint8Array(encryptedResponse) : encryptedResponse
    const { parts, algorithm, extra } = parsePackage(bytes)
    const keys = await this.#clientKeys()
    const answer = decodePlaintext(await open(parts, keys.privateKey), this.secureMemory)
    if (!isPlainObject(answer)) throw new ProtocolError('The decrypted answer is not a JSON object')
    // The router's own `_metadata` keys stay; ours are written over them, as in the reference client.
    const sealed = isPlainObject(answer._metadata) ? answer._metadata : {}
    const _metadata: SecureMetadata = {
      ...sealed,
      payload_id: payloadId,
      processed_at: extra.processed_at ?? null,
      is_encrypted: true,
      encryption_algorithm: algorithm,
    }
    return { ...answer, _metadata }
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
      const [keys, routerKey] = await raceAbort(Promise.all([this.#clientKeys(), this.#routerKey.get()]), options.signal)
      const headers: Record<string, string> = {
        'Content-Type': 'application/octet-stream',
        [P.HEADER_PAYLOAD_ID]: payloadId,
        [P.HEADER_PUBLIC_KEY]: keys.header,
      }
      if (key) headers.Authorization = `Bearer ${key}`
      if (tier) headers[P.HEADER_SECURITY_TIER] = tier
      const post = async (target: RouterKey) => {
        const body = await this.#sealTo(plaintext ?? encodePlaintext(payload), target)
        plaintext = undefined
        return send(
          { url: this.routerUrl + P.SECURE_COMPLETION_PATH, method: 'POST', headers, body, signal: options.signal, requestId: payloadId },
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
      return await this.decryptResponse(answer.body, payloadId)
    } finally {
      if (plaintext && this.secureMemory) plaintext.fill(0)
    }
  }

  /**
   * Seals `plaintext` (from {@link encodePlaintext}) and writes the package over it: one buffer
   * instead of two for a big request, and no plaintext left behind. WebCrypto copies its input when
   * called, so overwriting it afterwards is safe.
   */
  async #sealTo(plaintext: Uint8Array, routerKey: RouterKey): Promise<Uint8Array> {
    let parts: SealedParts
    try {
      parts = await seal(plaintext, routerKey.key)
    } catch (error) {
      if (this.secureMemory) plaintext.fill(0)
      throw error
    }
    const sealed = encodePackage(parts, undefined, new Uint8Array(plaintext.buffer, plaintext.byteOffset))
    // A package that did not fit went elsewhere (a key over 8192 bits, or mostly non-ASCII text).
    if (sealed.buffer !== plaintext.buffer && this.secureMemory) plaintext.fill(0)
    return sealed
  }

  #clientKeys(): Promise<ClientKeys> {
    return this.#keys.get(() =>
      this.#keyStore.getOrCreate((extractable) => generateRsaKeyPair(this.#options.keySize, extractable === true)).then(describeKeyPair),
    )
  }

  async #setKeys(keys: Promise<ClientKeys>): Promise<ClientKeys> {
    const described = await keys
    this.#keys.keep(Promise.resolve(described))
    this.#manualKeys = true
    return described
  }

  async #fetchRouterPem(): Promise<string> {
    const answer = await send(
      { url: this.routerUrl + P.PUBLIC_KEY_PATH, method: 'GET', headers: { Accept: 'text/plain' } },
      { ...this.#transport({}), maxResponseBytes: 64 * 1024 },
    )
    return new TextDecoder().decode(answer.body)
  }

  #transport(options: RequestOptions) {
    return {
      fetch: this.#options.fetch,
      timeout: checkPositive(options.timeout, 'timeout', this.#options.timeout ?? 300_000),
      maxRetries: this.#options.maxRetries ?? 2,
      maxResponseBytes: this.#options.maxResponseBytes ?? P.MAX_RESPONSE_BYTES,
      logger: this.#options.logger,
    }
  }

  #files(what: string): FileAccess {
    const files = this.#options.files
    if (!files) throw new TypeError(`${what} needs file access, which this runtime entry does not have; pass PEM text instead`)
    return files
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
