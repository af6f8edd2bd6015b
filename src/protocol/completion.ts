/**
 * OpenAI-compatible chat-completion types. They list what the protocol documents and stay open
 * (`[key: string]: unknown`) so new OpenAI fields pass through both ways.
 */
import { UnexpectedResponseError } from '../errors.js'
import type { SecurityTier } from './constants.js'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer' | (string & {})
  content?: string | null | Array<Record<string, unknown>>
  name?: string
  tool_calls?: ToolCall[]
  tool_call_id?: string
  [key: string]: unknown
}

export interface ToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
  [key: string]: unknown
}

export interface ToolDefinition {
  type: 'function'
  function: { name: string; description?: string; parameters?: Record<string, unknown>; [key: string]: unknown }
  [key: string]: unknown
}

/** The request of `create()`: OpenAI parameters plus the per-call options of the reference client. */
export interface ChatCompletionParams {
  model: string
  messages: ChatMessage[]
  temperature?: number
  max_tokens?: number
  top_p?: number
  frequency_penalty?: number
  presence_penalty?: number
  stop?: string | string[]
  n?: number
  /**
   * Always sent as `false`: the protocol answers whole responses. `true` makes `create()` deliver
   * the decrypted answer as `chat.completion.chunk` objects.
   */
  stream?: boolean
  /** With `stream: true`: `include_usage` adds a last chunk carrying `usage`. Never sent to the router. */
  stream_options?: { include_usage?: boolean; [key: string]: unknown } | null
  tools?: ToolDefinition[]
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } } | (string & {})
  user?: string
  /** Routing level, sent in the `X-Security-Tier` header, never in the encrypted payload. */
  security_tier?: SecurityTier
  /** Overrides the client's API key for this call (header only). */
  api_key?: string
  /** Overrides the client's router URL for this call. */
  base_url?: string
  [key: string]: unknown
}

export interface ChatCompletionChoice {
  index: number
  message: ChatMessage & { role: 'assistant' | (string & {}); content: string | null }
  finish_reason: 'stop' | 'length' | 'tool_calls' | 'content_filter' | (string & {}) | null
  [key: string]: unknown
}

export interface CompletionUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  [key: string]: unknown
}

/**
 * What the client writes into every decrypted answer's `_metadata`, over the keys the router sealed
 * there (those are kept), as the reference client does.
 */
export interface SecureMetadata {
  payload_id: string
  /** The package's `processed_at`, or `null`. Not authenticated: the router sets it outside the seal. */
  processed_at: unknown
  is_encrypted: true
  /** The answer package's `algorithm`. */
  encryption_algorithm: string
  /**
   * `true` when request and answer were key-bound (SECURITY.md): sealed to this payload id and this
   * client's key. Absent otherwise, whatever the sealed answer's own `_metadata` says.
   */
  key_bound?: true
  [key: string]: unknown
}

/**
 * What `decryptResponse()` and `sendSecureRequest()` return: whatever JSON object the router sealed,
 * with {@link SecureMetadata} merged into its `_metadata`.
 */
export interface SecureResponse {
  _metadata: SecureMetadata
  [key: string]: unknown
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion' | (string & {})
  created: number
  model: string
  choices: ChatCompletionChoice[]
  usage?: CompletionUsage
  _metadata: SecureMetadata
  [key: string]: unknown
}

/** One tool call inside a streamed delta: the first delta of a call names it, later ones add arguments. */
export interface ChatCompletionChunkToolCall {
  index: number
  id?: string
  type?: 'function'
  function?: { name?: string; arguments?: string }
  [key: string]: unknown
}

/** What a chunk adds to the message of its choice. */
export interface ChatCompletionChunkDelta {
  role?: 'assistant' | (string & {})
  content?: string | null
  refusal?: string | null
  tool_calls?: ChatCompletionChunkToolCall[]
  [key: string]: unknown
}

export interface ChatCompletionChunkChoice {
  index: number
  delta: ChatCompletionChunkDelta
  logprobs?: unknown
  finish_reason: ChatCompletionChoice['finish_reason']
  [key: string]: unknown
}

/** A `chat.completion.chunk`, as OpenAI-compatible servers stream them. */
export interface ChatCompletionChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  system_fingerprint?: string | null
  choices: ChatCompletionChunkChoice[]
  /** `null` on every chunk but the last when usage was asked for (`stream_options.include_usage`). */
  usage?: CompletionUsage | null
  [key: string]: unknown
}

/**
 * Returns the decrypted answer when it is a chat completion (a `choices` array of objects), else
 * throws an {@link UnexpectedResponseError} that holds it.
 */
export function requireChatCompletion(answer: SecureResponse): ChatCompletion {
  const { choices } = answer
  if (Array.isArray(choices) && choices.every((choice) => choice !== null && typeof choice === 'object')) return answer as ChatCompletion
  throw new UnexpectedResponseError(answer)
}
