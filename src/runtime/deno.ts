/**
 * `nomyo-secure` for Deno (`npm:nomyo-secure` or the built ESM file): the core with key files
 * through Deno's own file API, so `loadKeys` takes paths, `generateKeys({ saveToFile: true })`
 * writes the reference client's `client_keys/` layout, and `keyDir` keeps the client key in it
 * across restarts (run with `--allow-read --allow-write` for that directory). Without `keyDir`,
 * `privateKeyPem` or a `keyStore`, keys live in memory, like the reference client's.
 *
 * @packageDocumentation
 */
import { denoFiles } from '../keystore/files/deno.js'
import { entryPoints } from './entry.js'
import { fileKeys } from './file-keys.js'

export * from './with-files.js'
export { denoFiles }

/**
 * The entry points for Deno: `SecureChatCompletion` (the OpenAI-shaped client),
 * `SecureCompletionClient` (the protocol client) and `createSecureFetch` (a `fetch` for OpenAI
 * SDKs), each taking the core's options plus `keyDir`, `privateKeyPem` and `keyPassword`.
 *
 * @example The key kept in `client_keys/` across restarts, as the Python client keeps it
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/deno'
 * const client = new SecureChatCompletion({ apiKey: Deno.env.get('NOMYO_API_KEY'), keyDir: 'client_keys', keyPassword: Deno.env.get('NOMYO_KEY_PASSWORD') })
 * ```
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/deno'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12434', keyDir: 'client_keys' })
 * ```
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai', keyDir: 'client_keys' }) })
 * ```
 */
export const { SecureChatCompletion, SecureCompletionClient, createSecureFetch } = entryPoints({ keys: fileKeys(denoFiles) })
export type SecureChatCompletion = InstanceType<typeof SecureChatCompletion>
export type SecureCompletionClient = InstanceType<typeof SecureCompletionClient>
