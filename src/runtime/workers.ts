/**
 * `nomyo-secure` for Cloudflare Workers, Vercel Edge and other isolate runtimes: no file system, so
 * the client key comes from a secret (`privateKeyPem`, imported once per isolate) or lives in
 * memory. A memory key is generated once per client: build the client once at module scope, not
 * per request, or give it a secret key (RSA generation costs far more CPU than a request).
 *
 * @packageDocumentation
 */
import { type EntryPoints, entryPoints } from './entry.js'
import { secretKeys, type SecretKeyOptions } from './key-options.js'
import { optionEnv, withoutEnvOption, type EnvOption } from './env.js'

export * from './with-secret-key.js'
export type { EnvOption } from './env.js'

/** What this runtime's entry points are built on; each export below names its own class or type (JSR's fast check). */
const entry: EntryPoints<SecretKeyOptions & EnvOption> = entryPoints({ keys: withoutEnvOption(secretKeys), env: optionEnv })

/**
 * The entry points for Workers and edge runtimes: `SecureChatCompletion` (the OpenAI-shaped
 * client), `SecureCompletionClient` (the protocol client) and `createSecureFetch` (a `fetch` for
 * OpenAI SDKs), each taking the core's options plus `privateKeyPem` and `keyPassword`; `keyDir` is
 * a compile-time error here.
 *
 * @example Cloudflare Worker with the client key in a secret (`wrangler secret put NOMYO_CLIENT_KEY < key.pem`)
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/workers'
 * export default {
 *   async fetch(request: Request, env: Env): Promise<Response> {
 *     const client = new SecureChatCompletion({ env, privateKeyPem: env.NOMYO_CLIENT_KEY, keyPassword: env.NOMYO_CLIENT_KEY_PASSWORD })
 *     const { messages } = await request.json()
 *     return Response.json(await client.create({ model: 'Qwen/Qwen3-0.6B', messages }))
 *   },
 * }
 * ```
 */
export class SecureChatCompletion extends entry.ChatClass {}

/**
 * The protocol client of this entry (the Python reference's `SecureCompletionClient`), with the
 * same key options as {@link SecureChatCompletion}.
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/workers'
 * const client = new SecureCompletionClient({ privateKeyPem: env.NOMYO_CLIENT_KEY })
 * ```
 */
export class SecureCompletionClient extends entry.ClientClass {}

/**
 * A `fetch` for OpenAI SDKs that seals every chat completion, with the same key options as
 * {@link SecureChatCompletion}.
 *
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai:12435' }) })
 * ```
 */
export const createSecureFetch: EntryPoints<SecretKeyOptions & EnvOption>['createSecureFetch'] = entry.createSecureFetch
