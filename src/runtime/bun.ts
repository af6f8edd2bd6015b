/**
 * `nomyo-secure` for Bun: the core with key files read through `Bun.file` and written through
 * Bun's native `node:fs`, so `loadKeys` takes paths, `generateKeys({ saveToFile: true })` writes the
 * reference client's `client_keys/` layout, and `keyDir` keeps the client key in it across
 * restarts. Without `keyDir`, `privateKeyPem` or a `keyStore`, keys live in memory, like the
 * reference client's.
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
import type { KeyDirOptions } from './key-options.js'
import { withFiles } from './file-key-options.js'
import { bunFiles } from '../keystore/files/bun.js'
import {
  createSecureFetch as coreCreateSecureFetch,
  type SecureFetch,
  type SecureFetchOptions as CoreSecureFetchOptions,
} from '../fetch/secure-fetch.js'

export * from '../index.js'
export { PemKeyStore } from '../keystore/pem-secret.js'
export { FileKeyStore, type FileKeyStoreOptions } from '../keystore/files/file-key-store.js'
export type { KeyDirOptions, SecretKeyOptions } from './key-options.js'
export { bunFiles }

/** Options of the Bun {@link SecureChatCompletion}: the core's plus `keyDir`, `privateKeyPem`, `keyPassword`. */
export interface SecureChatCompletionOptions extends CoreSecureChatCompletionOptions, KeyDirOptions {}
/** Options of the Bun {@link SecureCompletionClient}: the core's plus `keyDir`, `privateKeyPem`, `keyPassword`. */
export interface SecureCompletionClientOptions extends CoreSecureCompletionClientOptions, KeyDirOptions {}

const coreOptions = withFiles(bunFiles)

/**
 * {@inheritDoc CoreSecureChatCompletion}
 *
 * @example The key kept in `client_keys/` across restarts, as the Python client keeps it
 * ```ts
 * import { SecureChatCompletion } from 'nomyo-secure/bun'
 * const client = new SecureChatCompletion({ apiKey: Bun.env.NOMYO_API_KEY, keyDir: 'client_keys', keyPassword: Bun.env.NOMYO_KEY_PASSWORD })
 * ```
 */
export class SecureChatCompletion extends CoreSecureChatCompletion {
  constructor(options: SecureChatCompletionOptions = {}) {
    super(coreOptions(options))
  }
}

/**
 * {@inheritDoc CoreSecureCompletionClient}
 *
 * @example
 * ```ts
 * import { SecureCompletionClient } from 'nomyo-secure/bun'
 * const client = new SecureCompletionClient({ routerUrl: 'https://api.nomyo.ai:12434', keyDir: 'client_keys' })
 * ```
 */
export class SecureCompletionClient extends CoreSecureCompletionClient {
  constructor(options: SecureCompletionClientOptions = {}) {
    super(coreOptions(options))
  }
}

/** Options of the Bun {@link createSecureFetch}: the core's plus the entry's key options. */
export interface SecureFetchOptions extends CoreSecureFetchOptions, KeyDirOptions {}

/**
 * {@inheritDoc coreCreateSecureFetch}
 *
 * @example
 * ```ts
 * const openai = new OpenAI({ baseURL: 'https://api.nomyo.ai/v1', apiKey, fetch: createSecureFetch({ baseUrl: 'https://api.nomyo.ai' }) })
 * ```
 */
export function createSecureFetch(options: SecureFetchOptions = {}): SecureFetch {
  return coreCreateSecureFetch(coreOptions(options))
}
