/**
 * What the browser entry exports besides its three entry points: the shared API and the options
 * with `keySlot`.
 */
import type { SecureChatCompletionOptions as CoreChatOptions } from '../client/secure-chat-completion.js'
import type { SecureCompletionClientOptions as CoreClientOptions } from '../client/secure-completion-client.js'
import type { SecureFetchOptions as CoreFetchOptions } from '../fetch/secure-fetch.js'
import type { BrowserKeyOptions } from './key-options.js'

export * from '../shared-exports.js'
export type { BrowserKeyOptions }

/** Options of the browser `SecureChatCompletion`: the core's plus `keySlot`. */
export interface SecureChatCompletionOptions extends CoreChatOptions, BrowserKeyOptions {}
/** Options of the browser `SecureCompletionClient`: the core's plus `keySlot`. */
export interface SecureCompletionClientOptions extends CoreClientOptions, BrowserKeyOptions {}
/** Options of the browser `createSecureFetch`: the core's plus `keySlot`. */
export interface SecureFetchOptions extends CoreFetchOptions, BrowserKeyOptions {}
