/**
 * What every entry exports besides its three entry points (`SecureChatCompletion`,
 * `SecureCompletionClient`, `createSecureFetch`), which each entry builds for its runtime: the
 * core (index.ts) and every runtime entry re-export this file, so no entry exports a name twice.
 */
export type { CreateChatCompletion } from './client/secure-chat-completion.js'
export { ChatCompletionStream, completionToChunks, type ChatCompletionStreamPromise, type ChunkOptions } from './client/stream.js'
export type { SecureFetch } from './fetch/secure-fetch.js'
export type { RequestOptions, GenerateKeysOptions, ClientOverrides, PublicKeyInfo } from './client/secure-completion-client.js'
export type { ChatOverrides } from './client/secure-chat-completion.js'
export { VERSION } from './version.js'
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
  SecureResponse,
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
  APIError,
  InvalidRequestError,
  ConflictError,
  UnprocessableEntityError,
  AuthenticationError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ServiceUnavailableError,
  APIConnectionError,
  APITimeoutError,
  type APIErrorInit,
} from './api-errors.js'
export {
  NomyoError,
  APIUserAbortError,
  SecurityError,
  ProtocolError,
  UnexpectedResponseError,
  KeyError,
  UnsupportedKeyError,
  type ErrorCode,
} from './errors.js'
