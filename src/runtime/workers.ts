/**
 * `nomyo-secure` for Cloudflare Workers, Vercel Edge and other isolate runtimes: no file system, so
 * the client key comes from a secret (`privateKeyPem`, imported once per isolate) or lives in
 * memory. A memory key is generated once per client: build the client once at module scope, not
 * per request, or give it a secret key (RSA generation costs far more CPU than a request).
 *
 * @packageDocumentation
 */
import {
  SecureChatCompletion as CoreSecureChatCompletion,
  type SecureChatCompletionOptions as CoreSecureChatCompletionOptions,
} from '../client/secure-chat-completion.js'
import {
  SecureCompletionClient as CoreSecureCompletionClient,
  type SecureCompletionClientOptions as CoreSecureCompletionClientOptions,
} from '../client/secure-completion-client.js'
import { resolveKeyOptions, type SecretKeyOptions } from './key-options.js'
import {
  createSecureFetch as coreCreateSecureFetch,
  type SecureFetch,
  type SecureFetchOptions as CoreSecureFetchOptions,
} from '../fetch/secure-fetch.js'

export * from '../index.js'
export { PemKeyStore } from '../keystore/pem-secret.js'
export type { SecretKeyOptions } from './key-options.js'

/** Options of the Workers {@link SecureChatCompletion}: the core's plus `privateKeyPem`, `keyPassword`. */
export interface SecureChatCompletionOptions extends CoreSecureChatCompletionOptions, SecretKeyOptions {}
/** Options of the Workers {@link SecureCompletionClient}: the core's plus `privateKeyPem`, `keyPassword`. */
export interface SecureCompletionClientOptions extends CoreSecureCompletionClientOptions, SecretKeyOptions {}

/**
 * {@inheritDoc CoreSecureChatCompletion}
 *
 * @example Cloudflare Worker with the client key in a secret (`wrangler secret put NOMYO_CLIENT_KEY < key.pem`)
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/workers'
 * export default {
 *   async fetch(request: Request, env: Env): Promise<Response> {
 *     const client = new SecureChatCompletion({ apiKey: env.NOMYO_API_KEY, privateKeyPem: env.NOMYO_CLIENT_KEY, keyPassword: env.NOMYO_CLIENT_KEY_PASSWORD })
 *     const { messages } = await request.json()
 *     return Response.json(await client.create({ model: 'Qwen/Qwen3-0.6B', messages }))
 *   },
 * }
 * ```
 */
export class SecureChatCompletion extends CoreSecureChatCompletion {
  constructor(options: SecureChatCompletionOptions = {}) {
    super(resolveKeyOptions(options))
  }
}

/**
 * {@inheritDoc CoreSecureCompletionClient}
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/workers'
 * const client = new SecureCompletionClient({ privateKeyPem: env.NOMYO_CLIENT_KEY })
 * ```
 */
export class SecureCompletionClient extends CoreSecureCompletionClient {
  constructor(options: SecureCompletionClientOptions = {}) {
    super(resolveKeyOptions(options))
  }
}

/** Options of the Workers {@link createSecureFetch}: the core's plus the entry's key options. */
export interface SecureFetchOptions extends CoreSecureFetchOptions, SecretKeyOptions {}

/**
 * {@inheritDoc coreCreateSecureFetch}
 *
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai' }) })
 * ```
 */
export function createSecureFetch(options: SecureFetchOptions = {}): SecureFetch {
  return coreCreateSecureFetch(resolveKeyOptions(options))
}
