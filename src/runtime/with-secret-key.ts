/**
 * What the Workers and edge entry exports besides its three entry points: the shared API,
 * `PemKeyStore` and the options with `privateKeyPem`.
 */
import type { SecureChatCompletionOptions as CoreChatOptions } from '../client/secure-chat-completion.js'
import type { SecureCompletionClientOptions as CoreClientOptions } from '../client/secure-completion-client.js'
import type { SecureFetchOptions as CoreFetchOptions } from '../fetch/secure-fetch.js'
import type { SecretKeyOptions } from './key-options.js'

export * from '../shared-exports.js'
export { PemKeyStore } from '../keystore/pem-secret.js'
export type { SecretKeyOptions }

/** Options of the Workers `SecureChatCompletion`: the core's plus `privateKeyPem`, `keyPassword`. */
export interface SecureChatCompletionOptions extends CoreChatOptions, SecretKeyOptions {}
/** Options of the Workers `SecureCompletionClient`: the core's plus `privateKeyPem`, `keyPassword`. */
export interface SecureCompletionClientOptions extends CoreClientOptions, SecretKeyOptions {}
/** Options of the Workers `createSecureFetch`: the core's plus `privateKeyPem`, `keyPassword`. */
export interface SecureFetchOptions extends CoreFetchOptions, SecretKeyOptions {}
