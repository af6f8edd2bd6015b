/**
 * nomyo-secure: end-to-end encrypted, OpenAI-compatible chat completions for NOMYO secure routers.
 * This entry is the runtime-neutral core; runtime entries (`nomyo-secure/node`, `/browser`, ...)
 * re-export it with their defaults.
 *
 * @packageDocumentation
 */
export { SecureChatCompletion, type SecureChatCompletionOptions } from './client/secure-chat-completion.js'
export type { CreateChatCompletion } from './client/secure-chat-completion.js'
export { ChatCompletionStream, completionToChunks, type ChatCompletionStreamPromise, type ChunkOptions } from './client/stream.js'
export { createSecureFetch, type SecureFetch, type SecureFetchOptions } from './fetch/secure-fetch.js'
export {
  SecureCompletionClient,
  type SecureCompletionClientOptions,
  type RequestOptions,
  type GenerateKeysOptions,
} from './client/secure-completion-client.js'
export type {
  ChatCompletion,
  ChatCompletionParams,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionChunkDelta,
  ChatCompletionChunkToolCall,
  ChatMessage,
  CompletionUsage,
  SecureMetadata,
  ToolCall,
  ToolDefinition,
} from './protocol/completion.js'
export type { SecurityTier } from './protocol/constants.js'
export type { KeyStore } from './keystore/types.js'
export type { FileAccess } from './keystore/files/file-access.js'
export type { Logger } from './transport/logger.js'
export type { FetchFunction } from './transport/http.js'
export { MemoryKeyStore } from './keystore/memory.js'
export { IndexedDBKeyStore, type IndexedDBKeyStoreOptions, type IndexedDBFallbackReason } from './keystore/indexeddb.js'
export {
  NomyoError,
  APIError,
  InvalidRequestError,
  AuthenticationError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ServiceUnavailableError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  SecurityError,
  ProtocolError,
  KeyError,
  UnsupportedKeyError,
} from './errors.js'
