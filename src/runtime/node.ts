/**
 * `nomyo-secure` for Node.js: the core with key files through `node:fs`, so `loadKeys` takes paths,
 * `generateKeys({ saveToFile: true })` writes the reference client's `client_keys/` layout, and
 * `keyDir` keeps the client key in it across restarts.
 *
 * @packageDocumentation
 */
import { nodeFiles } from '../keystore/files/node.js'
import { entryPoints } from './entry.js'
import { fileKeys } from './file-keys.js'

export * from './with-files.js'
export { nodeFiles }
export { serve, type NodeServer } from './node-server.js'

/**
 * The entry points for Node: `SecureChatCompletion` (the OpenAI-shaped client),
 * `SecureCompletionClient` (the protocol client) and `createSecureFetch` (a `fetch` for OpenAI
 * SDKs), each taking the core's options plus `keyDir`, `privateKeyPem` and `keyPassword`.
 *
 * @example The key kept in `client_keys/` across restarts, as the Python client keeps it
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/node'
 * const client = new SecureChatCompletion({ apiKey: process.env.NOMYO_API_KEY, keyDir: 'client_keys', keyPassword: process.env.NOMYO_KEY_PASSWORD })
 * ```
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/node'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12434', keyDir: 'client_keys' })
 * ```
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai', keyDir: 'client_keys' }) })
 * ```
 */
export const { SecureChatCompletion, SecureCompletionClient, createSecureFetch } = entryPoints({ keys: fileKeys(nodeFiles) })
export type SecureChatCompletion = InstanceType<typeof SecureChatCompletion>
export type SecureCompletionClient = InstanceType<typeof SecureCompletionClient>
