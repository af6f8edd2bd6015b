/**
 * `nomyo-secure` for Bun: the core with key files read through `Bun.file` and written through
 * Bun's native `node:fs`, so `loadKeys` takes paths, `generateKeys({ saveToFile: true })` writes the
 * reference client's `client_keys/` layout, and `keyDir` keeps the client key in it across
 * restarts. Without `keyDir`, `privateKeyPem` or a `keyStore`, keys live in memory, like the
 * reference client's.
 *
 * @packageDocumentation
 */
import { bunFiles } from '../keystore/files/bun.js'
import { entryPoints } from './entry.js'
import { fileKeys } from './file-keys.js'

export * from './with-files.js'
export { bunFiles }

/**
 * The entry points for Bun: `SecureChatCompletion` (the OpenAI-shaped client),
 * `SecureCompletionClient` (the protocol client) and `createSecureFetch` (a `fetch` for OpenAI
 * SDKs), each taking the core's options plus `keyDir`, `privateKeyPem` and `keyPassword`.
 *
 * @example The key kept in `client_keys/` across restarts, as the Python client keeps it
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/bun'
 * const client = new SecureChatCompletion({ apiKey: Bun.env.NOMYO_API_KEY, keyDir: 'client_keys', keyPassword: Bun.env.NOMYO_KEY_PASSWORD })
 * ```
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/bun'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12434', keyDir: 'client_keys' })
 * ```
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai', keyDir: 'client_keys' }) })
 * ```
 */
export const { SecureChatCompletion, SecureCompletionClient, createSecureFetch } = entryPoints({ keys: fileKeys(bunFiles) })
export type SecureChatCompletion = InstanceType<typeof SecureChatCompletion>
export type SecureCompletionClient = InstanceType<typeof SecureCompletionClient>
