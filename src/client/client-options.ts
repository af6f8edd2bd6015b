/** The options a protocol client is built with, and what a request or `withOptions()` may change. */
import type { FileAccess } from '../keystore/files/file-access.js'
import type { KeyStore } from '../keystore/types.js'
import type { FetchFunction } from '../transport/http.js'
import type { Logger } from '../transport/logger.js'

/** Options of {@link SecureCompletionClient}. */
export interface SecureCompletionClientOptions {
  /**
   * Router base URL. Default `https://api.nomyo.ai:12435`, the reference client's default; in
   * Node, Deno and Bun `NOMYO_BASE_URL` when set.
   */
  routerUrl?: string
  /** Allow `http://` (local development only). Default false: http URLs throw a `SecurityError`. */
  allowHttp?: boolean
  /** Zero plaintext byte buffers as soon as they are used (best effort in JS). Default true. */
  secureMemory?: boolean
  /** Milliseconds per attempt, including reading the answer. Default 300 000. */
  timeout?: number
  /** Retries of retryable failures (connection refused, 408/429/502/503/504, `x-should-retry: true`). Default 2. */
  maxRetries?: number
  /**
   * Extra headers on every secure completion request. The protocol's own headers (`Content-Type`,
   * `X-Payload-ID`, `X-Public-Key`, `Authorization` when an API key is set, `X-Security-Tier`) win.
   */
  headers?: HeadersInit
  /** A `fetch` to use instead of the global one. */
  fetch?: FetchFunction
  /** Where the client key pair lives. Default: memory (a fresh pair per client, like the reference). */
  keyStore?: KeyStore
  /** RSA modulus of generated keys. Default 4096. */
  keySize?: number
  /**
   * SHA-256 fingerprints (hex of the SPKI DER) the router key must match; empty means no pinning.
   * Several are allowed, for a planned rotation. A key outside them is refused before anything is sent.
   */
  routerKeyPins?: string[]
  /**
   * The router's public key PEM, when known in advance: a pin. Every request is sealed to it and
   * nothing replaces it; `GET /pki/public_key` is asked only whether the router offers key binding
   * (not at all with `keyBinding: 'off'`).
   */
  routerPublicKey?: string
  /**
   * Key binding (SECURITY.md): seal each request with additional data naming its payload id and
   * this client's key, so a middle box can neither swap the answer key nor replay answers.
   * `'auto'` (default) binds when the router advertises it and, once it has, refuses to send
   * unbound; `'require'` refuses routers that do not advertise it; `'off'` never binds.
   */
  keyBinding?: 'auto' | 'require' | 'off'
  /** Largest answer read, in bytes. Default 16 MiB. */
  maxResponseBytes?: number
  /** Receives diagnostics; nothing is logged without one. */
  logger?: Logger
  /** File access for key files (set by the Node, Deno and Bun entries). */
  files?: FileAccess
  /**
   * Send each sealed request to `fetch` as a stream of slices instead of as one byte body, which
   * `fetch` would copy whole first (10 MiB less peak memory for a 10 MiB request). Default true in
   * the Node and Deno entries, false elsewhere; browser builds ignore it (browsers refuse streamed
   * uploads over HTTP/1.1, so their builds leave the stream code out).
   * Deno sends a streamed body with chunked transfer encoding, without `Content-Length`: set false
   * if a proxy in front of the router refuses that (HTTP 411). A custom `fetch` always gets bytes.
   */
  streamUploads?: boolean
}

/**
 * Per-request options, as the `openai` package takes them: they override the client's for one call.
 *
 * @example
 * ```ts
 * await client.create({ model, messages }, { timeout: 30_000, maxRetries: 0, headers: { 'X-Trace-Id': traceId }, signal })
 * ```
 */
export interface RequestOptions {
  signal?: AbortSignal
  /** Overrides the client's `timeout` for this request. */
  timeout?: number
  /** Overrides the client's `maxRetries` for this request. */
  maxRetries?: number
  /** Added to the client's `headers` for this request (the protocol's own headers still win). */
  headers?: HeadersInit
}

/**
 * What `withOptions()` may change. The key pair (and where it lives) is shared with the client the
 * new one came from, and so are the router key pins.
 */
export type ClientOverrides = Pick<
  SecureCompletionClientOptions,
  'routerUrl' | 'allowHttp' | 'timeout' | 'maxRetries' | 'headers' | 'fetch' | 'maxResponseBytes' | 'logger'
>
