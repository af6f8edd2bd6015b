/**
 * `nomyo-secure` for Node.js: the core with key files through `node:fs`, so `loadKeys` takes paths,
 * `generateKeys({ saveToFile: true })` writes the reference client's `client_keys/` layout, and
 * `keyDir` keeps the client key in it across restarts.
 *
 * @packageDocumentation
 */
import { nodeFiles } from '../keystore/files/node.js'
import { type EntryPoints, entryPoints } from './entry.js'
import { fileKeys } from './file-keys.js'
import { processEnv } from './process-env.js'
import type { KeyDirOptions } from './key-options.js'

export * from './with-files.js'
export { nodeFiles } from '../keystore/files/node.js'
export { serve, type NodeServer } from './node-server.js'

/** What this runtime's entry points are built on; each export below names its own class or type (JSR's fast check). */
const entry: EntryPoints<KeyDirOptions> = entryPoints({ keys: fileKeys(nodeFiles), env: processEnv, defaults: { streamUploads: true } })

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
 */
export class SecureChatCompletion extends entry.ChatClass {}

/**
 * The protocol client of this entry (the Python reference's `SecureCompletionClient`), with the
 * same key options as {@link SecureChatCompletion}.
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/node'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12435', keyDir: 'client_keys' })
 * ```
 */
export class SecureCompletionClient extends entry.ClientClass {}

/**
 * A `fetch` for OpenAI SDKs that seals every chat completion, with the same key options as
 * {@link SecureChatCompletion}.
 *
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai:12435', keyDir: 'client_keys' }) })
 * ```
 */
export const createSecureFetch: EntryPoints<KeyDirOptions>['createSecureFetch'] = entry.createSecureFetch
