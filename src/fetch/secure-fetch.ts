/**
 * A `fetch` that the `openai` package and the Vercel AI SDK can be given instead of the platform
 * one: their chat-completion requests go through the NOMYO secure protocol, and the decrypted answer
 * comes back as the `Response` an OpenAI-compatible server would have sent. Nothing else is sent at
 * all, so a request the secure protocol cannot carry never leaves in plaintext.
 */
import { SecureCompletionClient, type SecureCompletionClientOptions } from '../client/secure-completion-client.js'
import { checkApiKey, checkSecurityTier } from '../client/options.js'
import type { SecurityTier } from '../protocol/constants.js'
import type { FetchFunction } from '../transport/http.js'
import type { SecureFetchSettings } from './handle-request.js'

let handlerModule: Promise<typeof import('./handle-request.js')> | undefined

/** Options of {@link createSecureFetch}. */
export interface SecureFetchOptions extends Omit<SecureCompletionClientOptions, 'routerUrl' | 'maxRetries'> {
  /**
   * The NOMYO router every chat completion is sealed to and sent to. Default `https://api.nomyo.ai:12435`
   * (the reference client's), or `NOMYO_BASE_URL` in Node, Deno and Bun.
   * The SDK's own `baseURL` only selects the endpoint: requests never go to it.
   */
  baseUrl?: string
  /**
   * The API key for every request (`NOMYO_API_KEY` in Node, Deno and Bun when not given). When set,
   * the SDK's `Authorization` header is ignored (so the SDK can be given a placeholder); otherwise
   * its bearer token is used. An `api_key` in a request body wins over both, as a per-call key.
   */
  apiKey?: string
  /** Default security tier; a request's `X-Security-Tier` header overrides it. */
  securityTier?: SecurityTier
}

/**
 * The function {@link createSecureFetch} returns, with its protocol client for key management.
 *
 * @example
 * ```ts
 * const secureFetch = createSecureFetch({ baseUrl: 'https://api.nomyo.ai:12435' })
 * await secureFetch.client.loadKeys(privateKeyPem) // instead of a fresh key pair per process
 * ```
 */
export type SecureFetch = FetchFunction & {
  /** The client that holds the keys and the cached router key (`loadKeys`, `publicKey`, `rotateKeys`). */
  readonly client: SecureCompletionClient
}

/**
 * Creates a `fetch` for OpenAI SDKs that encrypts chat completions end to end.
 *
 * - `POST …/chat/completions` with a JSON body: the body is sealed to the router (with `stream`
 *   sent as `false`; `stream_options` and the reference client's per-call fields `api_key`,
 *   `base_url` and `security_tier` left out, so they never reach the model), the bearer token becomes
 *   the API key, and the tier comes from the `X-Security-Tier` header, a `security_tier` body field
 *   or `securityTier`. The answer is a 200 JSON `Response` with `x-request-id` set to the payload id,
 *   or, when the request asked for `stream: true`, a `text/event-stream` of `chat.completion.chunk`
 *   events ending with `data: [DONE]` — cut from the whole decrypted answer, so every token arrives
 *   at once after decryption.
 * - Router errors keep their status and get an OpenAI-shaped body, so the SDK raises its own error
 *   classes and applies its own retry policy: the secure fetch never retries on its own. Failures of
 *   the secure channel answer 421 with `x-should-retry: false`; connection failures and timeouts
 *   reject like the platform fetch (see the README).
 * - Any other method or path is answered 404 without sending anything.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai'
 * import { createSecureFetch } from 'nomyo-secure'
 *
 * const openai = new OpenAI({
 *   baseURL: 'https://api.nomyo.ai/v1',
 *   apiKey: process.env.NOMYO_API_KEY,
 *   fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai:12435', securityTier: 'high' }),
 * })
 * const completion = await openai.chat.completions.create({ model: 'Qwen/Qwen3-0.6B', messages: [{ role: 'user', content: 'Hello!' }] })
 * ```
 */
export function createSecureFetch(options: SecureFetchOptions = {}): SecureFetch {
  const { baseUrl, apiKey, securityTier, ...rest } = options
  const configuredKey = checkApiKey(apiKey)
  const defaultTier = checkSecurityTier(securityTier)
  // The SDK above retries by its own policy; retrying here too would multiply its attempts.
  const client = new SecureCompletionClient({ ...rest, routerUrl: baseUrl, maxRetries: 0 })

  const settings: SecureFetchSettings = { client, configuredKey, defaultTier }

  // A plain function: SDKs call fetch unbound (`fetch.call(undefined, ...)`). The request handling
  // (error responses, event streams) loads on the first call: pages that never use an OpenAI SDK
  // do not download it.
  async function secureFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const { handleSecureFetch } = await (handlerModule ??= import('./handle-request.js'))
    return handleSecureFetch(settings, input, init)
  }

  return Object.assign(secureFetch, { client })
}
