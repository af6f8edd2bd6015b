/**
 * `nomyo-secure` for browsers (ESM and the `<script>` build, global `NomyoSecure`). The client key
 * pair lives in IndexedDB, non-extractable, so a reload reuses it; where IndexedDB is unusable it
 * lives in memory and `client.client.keysPersisted` is false. No file code is reachable from here.
 *
 * @packageDocumentation
 */
import { type EntryPoints, entryPoints } from './entry.js'
import { indexedDBKeys, type BrowserKeyOptions } from './key-options.js'

export * from './with-key-slot.js'

/** What this runtime's entry points are built on; each export below names its own class or type (JSR's fast check). */
const entry: EntryPoints<BrowserKeyOptions> = entryPoints({ keys: indexedDBKeys })

/**
 * The entry points for browsers: `SecureChatCompletion` (the OpenAI-shaped client),
 * `SecureCompletionClient` (the protocol client) and `createSecureFetch` (a `fetch` for OpenAI
 * SDKs), each taking the core's options plus `keySlot`; file and secret key options are
 * compile-time errors here.
 *
 * @example
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/browser'
 * const client = new SecureChatCompletion({ baseUrl: 'https://api.nomyo.ai:12435', apiKey })
 * const answer = await client.create({ model: 'Qwen/Qwen3-0.6B', messages: [{ role: 'user', content: 'Hello' }] })
 * if (!client.client.keysPersisted) notice.textContent = 'This browser does not keep keys: a new key is made on every visit'
 * ```
 */
export class SecureChatCompletion extends entry.ChatClass {}

/**
 * The protocol client of this entry (the Python reference's `SecureCompletionClient`), with the
 * same key options as {@link SecureChatCompletion}.
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/browser'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12435', keySlot: 'support-chat' })
 * const { fingerprint } = await client.publicKey()
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
export const createSecureFetch: EntryPoints<BrowserKeyOptions>['createSecureFetch'] = entry.createSecureFetch
