/**
 * `nomyo-secure` for browsers (ESM and the `<script>` build, global `NomyoSecure`). The client key
 * pair lives in IndexedDB, non-extractable, so a reload reuses it; where IndexedDB is unusable it
 * lives in memory and `client.client.keysPersisted` is false. No file code is reachable from here.
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
import { IndexedDBKeyStore } from '../keystore/indexeddb.js'
import type { KeyStore } from '../keystore/types.js'
import {
  createSecureFetch as coreCreateSecureFetch,
  type SecureFetch,
  type SecureFetchOptions as CoreSecureFetchOptions,
} from '../fetch/secure-fetch.js'

export * from '../index.js'

/** Key option of the browser entry. */
export interface BrowserKeyOptions {
  /**
   * IndexedDB slot of the default key store. Default `'default'`: every client of the page (and
   * its other tabs) shares one key pair; give a slot name to keep separate pairs.
   */
  keySlot?: string
}

/** Options of the browser {@link SecureChatCompletion}: the core's plus `keySlot`. */
export interface SecureChatCompletionOptions extends CoreSecureChatCompletionOptions, BrowserKeyOptions {}
/** Options of the browser {@link SecureCompletionClient}: the core's plus `keySlot`. */
export interface SecureCompletionClientOptions extends CoreSecureCompletionClientOptions, BrowserKeyOptions {}

function withBrowserKeyStore<T extends { keyStore?: KeyStore }>(options: T & BrowserKeyOptions): Omit<T, 'keySlot'> {
  const { keySlot, ...rest } = options
  if (keySlot !== undefined && rest.keyStore !== undefined) throw new TypeError('Pass either keyStore or keySlot, not both')
  return { ...rest, keyStore: rest.keyStore ?? new IndexedDBKeyStore({ slot: keySlot }) }
}

/**
 * {@inheritDoc CoreSecureChatCompletion}
 *
 * @example
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/browser'
 * const client = new SecureChatCompletion({ baseUrl: 'https://api.nomyo.ai', apiKey })
 * const answer = await client.create({ model: 'Qwen/Qwen3-0.6B', messages: [{ role: 'user', content: 'Hello' }] })
 * if (!client.client.keysPersisted) notice.textContent = 'This browser does not keep keys: a new key is made on every visit'
 * ```
 */
export class SecureChatCompletion extends CoreSecureChatCompletion {
  constructor(options: SecureChatCompletionOptions = {}) {
    super(withBrowserKeyStore(options))
  }
}

/**
 * {@inheritDoc CoreSecureCompletionClient}
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/browser'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12434', keySlot: 'support-chat' })
 * const { fingerprint } = await client.publicKey()
 * ```
 */
export class SecureCompletionClient extends CoreSecureCompletionClient {
  constructor(options: SecureCompletionClientOptions = {}) {
    super(withBrowserKeyStore(options))
  }
}

/** Options of the browser {@link createSecureFetch}: the core's plus the entry's key options. */
export interface SecureFetchOptions extends CoreSecureFetchOptions, BrowserKeyOptions {}

/**
 * {@inheritDoc coreCreateSecureFetch}
 *
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai' }) })
 * ```
 */
export function createSecureFetch(options: SecureFetchOptions = {}): SecureFetch {
  return coreCreateSecureFetch(withBrowserKeyStore(options))
}
