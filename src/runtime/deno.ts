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
import { type EntryPoints, entryPoints } from './entry.js'
import { fileKeys } from './file-keys.js'
import { denoEnv } from './deno-env.js'
import type { KeyDirOptions } from './key-options.js'

export * from './with-files.js'
export { denoFiles } from '../keystore/files/deno.js'

/** What this runtime's entry points are built on; each export below names its own class or type (JSR's fast check). */
const entry: EntryPoints<KeyDirOptions> = entryPoints({ keys: fileKeys(denoFiles), env: denoEnv, defaults: { streamUploads: true } })

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
 */
export class SecureChatCompletion extends entry.ChatClass {}

/**
 * The protocol client of this entry (the Python reference's `SecureCompletionClient`), with the
 * same key options as {@link SecureChatCompletion}.
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/deno'
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
