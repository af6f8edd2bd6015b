/**
 * What the entries with a file system (Node, Deno, Bun) export besides their three entry points:
 * the shared API, the key stores for files and secrets, and the options with `keyDir`.
 */
import type { SecureChatCompletionOptions as CoreChatOptions } from '../client/secure-chat-completion.js'
import type { SecureCompletionClientOptions as CoreClientOptions } from '../client/secure-completion-client.js'
import type { SecureFetchOptions as CoreFetchOptions } from '../fetch/secure-fetch.js'
import type { KeyDirOptions } from './key-options.js'

export * from '../shared-exports.js'
export { PemKeyStore } from '../keystore/pem-secret.js'
export { FileKeyStore, type FileKeyStoreOptions } from '../keystore/files/file-key-store.js'
export type { KeyDirOptions, SecretKeyOptions } from './key-options.js'

/** Options of `SecureChatCompletion` in Node, Deno and Bun: the core's plus `keyDir`, `privateKeyPem`, `keyPassword`. */
export interface SecureChatCompletionOptions extends CoreChatOptions, KeyDirOptions {}
/** Options of `SecureCompletionClient` in Node, Deno and Bun: the core's plus `keyDir`, `privateKeyPem`, `keyPassword`. */
export interface SecureCompletionClientOptions extends CoreClientOptions, KeyDirOptions {}
/** Options of `createSecureFetch` in Node, Deno and Bun: the core's plus `keyDir`, `privateKeyPem`, `keyPassword`. */
export interface SecureFetchOptions extends CoreFetchOptions, KeyDirOptions {}
