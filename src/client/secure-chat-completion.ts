/**
 * The OpenAI-shaped entry point: `create()` takes the chat-completion parameters, seals them and
 * returns the decrypted completion. Mirrors the reference Python `SecureChatCompletion`.
 */
import { type ChatCompletion, type ChatCompletionParams, requireChatCompletion } from '../protocol/completion.js'
import { randomId } from '../crypto/random.js'
import {
  SecureCompletionClient,
  type ClientOverrides,
  type RequestOptions,
  type SecureCompletionClientOptions,
} from './secure-completion-client.js'
import { checkApiKey, normalizeRouterUrl } from './options.js'
import { streamCompletion, type ChatCompletionStreamPromise } from './stream.js'

/** Options of {@link SecureChatCompletion}. */
export interface SecureChatCompletionOptions extends Omit<SecureCompletionClientOptions, 'routerUrl'> {
  /**
   * Router base URL. Default `https://api.nomyo.ai:12435`, the reference client's default; in
   * Node, Deno and Bun `NOMYO_BASE_URL` when set.
   */
  baseUrl?: string
  /**
   * Bearer API key sent in the `Authorization` header (never inside the payload). In Node, Deno
   * and Bun `NOMYO_API_KEY` when not given.
   */
  apiKey?: string
}

/** What {@link SecureChatCompletion.withOptions} may change. */
export interface ChatOverrides extends Omit<ClientOverrides, 'routerUrl'> {
  baseUrl?: string
  apiKey?: string
}

/** Hands the protocol client of a `withOptions()` copy to the constructor, outside the public options. */
const CLIENT = Symbol('client')

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
 * const client = new SecureChatCompletion({ baseUrl: 'https://api.nomyo.ai:12435', apiKey: process.env.NOMYO_API_KEY })
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
  readonly #apiKey: string | undefined
  readonly #allowHttp: boolean
  readonly #others = new Map<string, SecureCompletionClient>()

  /** The same `create` in the shape of the official `openai` package. */
  readonly chat: { completions: { create: CreateChatCompletion } }

  constructor(options: SecureChatCompletionOptions = {}) {
    const { baseUrl, apiKey, ...rest } = options
    this.#apiKey = checkApiKey(apiKey)
    this.#allowHttp = options.allowHttp === true
    this.client = (options as { [CLIENT]?: SecureCompletionClient })[CLIENT] ?? new SecureCompletionClient({ ...rest, routerUrl: baseUrl })
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

  /**
   * A client with some options changed that shares this one's key pair (and, for the same
   * `baseUrl`, its cached router key), as `withOptions` in the `openai` package.
   *
   * @example
   * ```ts
   * const tenant = client.withOptions({ apiKey: tenantKey, headers: { 'X-Tenant': tenantId }, maxRetries: 0 })
   * ```
   */
  withOptions(overrides: ChatOverrides): this {
    const { baseUrl, apiKey, ...rest } = overrides
    const client = this.client.withOptions({ ...rest, routerUrl: baseUrl ?? this.client.routerUrl })
    return new (this.constructor as typeof SecureChatCompletion)({
      allowHttp: overrides.allowHttp ?? this.#allowHttp,
      apiKey: 'apiKey' in overrides ? apiKey : this.#apiKey,
      [CLIENT]: client,
    } as SecureChatCompletionOptions) as this
  }

  /** A client for a per-call `base_url`, sharing the key pair, kept for the next call to the same router. */
  #clientFor(baseUrl: string): SecureCompletionClient {
    const url = normalizeRouterUrl(baseUrl, this.#allowHttp, 'base_url')
    if (url === this.client.routerUrl) return this.client
    let other = this.#others.get(url)
    if (!other) {
      other = this.client.withOptions({ routerUrl: url })
      this.#others.set(url, other)
    }
    return other
  }
}
