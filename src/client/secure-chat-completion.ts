/**
 * The OpenAI-shaped entry point: `create()` takes the chat-completion parameters, seals them and
 * returns the decrypted completion. Mirrors the reference Python `SecureChatCompletion`.
 */
import { type ChatCompletion, type ChatCompletionParams, requireChatCompletion } from '../protocol/completion.js'
import { randomId } from '../crypto/random.js'
import { SecureCompletionClient, type RequestOptions, type SecureCompletionClientOptions } from './secure-completion-client.js'
import { checkApiKey, normalizeRouterUrl } from './options.js'
import { MemoryKeyStore } from '../keystore/memory.js'
import { streamCompletion, type ChatCompletionStreamPromise } from './stream.js'
import type { KeyStore } from '../keystore/types.js'

/** Options of {@link SecureChatCompletion}. */
export interface SecureChatCompletionOptions extends Omit<SecureCompletionClientOptions, 'routerUrl'> {
  /** Router base URL. Default `https://api.nomyo.ai`. */
  baseUrl?: string
  /** Bearer API key sent in the `Authorization` header (never inside the payload). */
  apiKey?: string
}

/**
 * `create` typed as in the `openai` package: `stream: true` gives a stream of chunks, anything
 * else the completion.
 *
 * @example
 * ```ts
 * const completion = await client.chat.completions.create({ model, messages })               // ChatCompletion
 * for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')                               // ChatCompletionChunk
 * }
 * ```
 */
export interface CreateChatCompletion {
  (params: ChatCompletionParams & { stream: true }, options?: RequestOptions): ChatCompletionStreamPromise
  (params: ChatCompletionParams & { stream?: false | null }, options?: RequestOptions): Promise<ChatCompletion>
  (params: ChatCompletionParams, options?: RequestOptions): Promise<ChatCompletion> | ChatCompletionStreamPromise
}

/**
 * End-to-end encrypted chat completions with the OpenAI call shape.
 *
 * @example
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure'
 *
 * const client = new SecureChatCompletion({ baseUrl: 'https://api.nomyo.ai', apiKey: process.env.NOMYO_API_KEY })
 * const completion = await client.create({
 *   model: 'Qwen/Qwen3-0.6B',
 *   messages: [{ role: 'user', content: 'Hello!' }],
 *   security_tier: 'high',
 * })
 * console.log(completion.choices[0].message.content)
 * ```
 */
export class SecureChatCompletion {
  /** The protocol client behind `baseUrl`; use it for keys (`generateKeys`, `loadKeys`, `publicKey`). */
  readonly client: SecureCompletionClient
  readonly #options: SecureChatCompletionOptions
  readonly #apiKey: string | undefined
  readonly #others = new Map<string, SecureCompletionClient>()

  /** The same `create` in the shape of the official `openai` package. */
  readonly chat: { completions: { create: CreateChatCompletion } }

  constructor(options: SecureChatCompletionOptions = {}) {
    const { baseUrl = 'https://api.nomyo.ai', apiKey, ...rest } = options
    // One key store for every router this object talks to, so the client key stays the same.
    this.#options = { ...options, keyStore: options.keyStore ?? new MemoryKeyStore() }
    this.#apiKey = checkApiKey(apiKey)
    this.client = new SecureCompletionClient({ ...rest, keyStore: this.#options.keyStore, routerUrl: baseUrl })
    this.chat = {
      completions: {
        create: ((params: ChatCompletionParams, requestOptions?: RequestOptions) =>
          this.create(params, requestOptions)) as CreateChatCompletion,
      },
    }
  }

  /**
   * Creates a chat completion. `api_key`, `base_url` and `security_tier` are per-call options taken
   * out of the payload; everything else is sent encrypted, with `stream` forced to `false`.
   *
   * With `stream: true` the answer is delivered as `chat.completion.chunk` objects (see
   * {@link ChatCompletionStream}): they are cut from the whole decrypted answer, so every token
   * arrives at once, after the answer has been decrypted. `stream_options.include_usage` adds the
   * usage chunk; `stream_options` itself is not sent.
   */
  create(params: ChatCompletionParams & { stream: true }, options?: RequestOptions): ChatCompletionStreamPromise
  create(params: ChatCompletionParams & { stream?: false | null }, options?: RequestOptions): Promise<ChatCompletion>
  create(params: ChatCompletionParams, options?: RequestOptions): Promise<ChatCompletion> | ChatCompletionStreamPromise
  create(params: ChatCompletionParams, options: RequestOptions = {}): Promise<ChatCompletion> | ChatCompletionStreamPromise {
    const completion = this.#complete(params, options)
    if (params?.stream !== true) return completion
    return streamCompletion(completion, { includeUsage: params.stream_options?.include_usage === true })
  }

  /** Alias of {@link SecureChatCompletion.create}, as in the reference client. */
  acreate(params: ChatCompletionParams & { stream: true }, options?: RequestOptions): ChatCompletionStreamPromise
  acreate(params: ChatCompletionParams & { stream?: false | null }, options?: RequestOptions): Promise<ChatCompletion>
  acreate(params: ChatCompletionParams, options?: RequestOptions): Promise<ChatCompletion> | ChatCompletionStreamPromise
  acreate(params: ChatCompletionParams, options?: RequestOptions): Promise<ChatCompletion> | ChatCompletionStreamPromise {
    return this.create(params, options)
  }

  async #complete(params: ChatCompletionParams, options: RequestOptions): Promise<ChatCompletion> {
    if (!params || typeof params !== 'object') throw new TypeError('create() needs a parameters object')
    // stream_options only means something to a streaming server; the router gets stream: false.
    const { api_key, base_url, security_tier, stream_options: _streamOptions, ...payload } = params
    if (typeof payload.model !== 'string' || !payload.model) throw new TypeError('create(): "model" is required (a non-empty string)')
    if (!Array.isArray(payload.messages) || payload.messages.length === 0) {
      throw new TypeError('create(): "messages" is required (a non-empty array)')
    }
    const apiKey = api_key === undefined ? this.#apiKey : checkApiKey(api_key, 'api_key')
    const client = base_url === undefined ? this.client : this.#clientFor(base_url)
    return requireChatCompletion(await client.sendSecureRequest({ ...payload, stream: false }, randomId(), apiKey, security_tier, options))
  }

  /** A client for a per-call `base_url`, sharing the key store. */
  #clientFor(baseUrl: string): SecureCompletionClient {
    const url = normalizeRouterUrl(baseUrl, this.#options.allowHttp === true, 'base_url')
    if (url === this.client.routerUrl) return this.client
    let other = this.#others.get(url)
    if (!other) {
      // Pins stay: they bind every router this client may reach. A known router PEM belongs to baseUrl only.
      const { baseUrl: _ignored, apiKey: _key, routerPublicKey: _pk, ...rest } = this.#options
      const main = this.client
      // Whatever pair the main client has (loaded, generated or stored) is the one used everywhere.
      const shared: KeyStore = {
        get persistent() {
          return main.keysPersisted
        },
        getOrCreate: () => main._keyPair(),
        delete: async () => {
          await main.rotateKeys()
        },
      }
      other = new SecureCompletionClient({ ...rest, keyStore: shared, routerUrl: url })
      this.#others.set(url, other)
    }
    return other
  }
}
