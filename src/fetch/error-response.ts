/**
 * How a failed secure request looks to an OpenAI SDK that called the secure fetch. The SDKs build
 * their own error classes from a status and an `{ error: { message, type, code } }` body, and decide
 * retries from the status (the `openai` package also obeys `x-should-retry`). So:
 *
 * - a router error keeps the router's status (401 → `AuthenticationError`, 429 → `RateLimitError`,
 *   ...) and its `Retry-After`, and the SDK retries it, or not, by its own policy;
 * - a failure of the secure channel (pin mismatch, failed decryption, malformed package, refused
 *   redirect: `SecurityError`, `KeyError`, `ProtocolError`) is 421 Misdirected Request with
 *   `x-should-retry: false`: the answer could not be proven to come from the intended router, and
 *   4xx other than 408/409/429 is the only range that neither the `openai` package nor the AI SDK
 *   retries (the AI SDK ignores `x-should-retry`);
 * - a request the secure fetch cannot send (bad JSON body, unknown security tier) is 400, and one
 *   over the protocol's 10 MiB limit is 413;
 * - connection failures and timeouts are not responses: the fetch rejects as the platform fetch
 *   does (`TypeError: fetch failed`, a `TimeoutError` / `AbortError` DOMException), so each SDK
 *   reports and retries them exactly as it does without encryption.
 */
import { APIUserAbortError, type ErrorCode, KeyError, NomyoError, ProtocolError, SecurityError } from '../errors.js'
import { APIConnectionError, APIError, APITimeoutError } from '../api-errors.js'

/** The status of secure-channel failures; see the file comment. */
export const SECURE_CHANNEL_FAILURE_STATUS = 421

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
}

/** The OpenAI-shaped error answer. `message` must already be free of plaintext and keys. */
export function errorResponse(
  status: number,
  error: { message: string; type: string; code: ErrorCode },
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ error: { ...error, param: null } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

/**
 * Turns what `sendSecureRequest` threw into the answer of the secure fetch, or throws what the
 * platform fetch would have thrown. Messages come from the library's own errors, which never carry
 * plaintext or keys; anything else gets a fixed message.
 */
export function responseForError(error: unknown, signal: AbortSignal | undefined, requestId: string): Response {
  if (error instanceof APIUserAbortError) throw abortReason(signal)
  if (error instanceof APITimeoutError) throw new DOMException(error.message, 'TimeoutError')
  // The message the platform fetch uses, so SDKs recognise it as a connection failure.
  if (error instanceof APIConnectionError) throw new TypeError('fetch failed', { cause: error })
  const headers: Record<string, string> = { 'x-request-id': requestId }
  if (error instanceof APIError && error.status !== undefined && error.status >= 400 && error.status <= 599) {
    if (error.retryAfterMs !== undefined) {
      headers['retry-after-ms'] = String(error.retryAfterMs)
      headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000))
    }
    // The router's own retry verdict reaches the SDK, which obeys it as it would from OpenAI.
    const verdict = error.headers?.get('x-should-retry')
    if (verdict) headers['x-should-retry'] = verdict
    const type = TYPE_BY_STATUS[error.status] ?? (error.status >= 500 ? 'server_error' : 'api_error')
    return errorResponse(error.status, { message: error.message, type, code: error.code }, headers)
  }
  headers['x-should-retry'] = 'false'
  if (error instanceof SecurityError || error instanceof KeyError || error instanceof ProtocolError || error instanceof APIError) {
    const type = error instanceof ProtocolError ? 'protocol_error' : 'security_error'
    return errorResponse(SECURE_CHANNEL_FAILURE_STATUS, { message: error.message, type, code: error.code }, headers)
  }
  if (error instanceof RangeError) {
    return errorResponse(413, { message: error.message, type: 'invalid_request_error', code: 'ERR_INVALID_REQUEST' }, headers)
  }
  // The library's caller-misuse errors name the field, never the value.
  if (error instanceof TypeError) {
    return errorResponse(400, { message: error.message, type: 'invalid_request_error', code: 'ERR_INVALID_REQUEST' }, headers)
  }
  const code = error instanceof NomyoError ? error.code : 'ERR_SERVER'
  return errorResponse(500, { message: 'nomyo-secure: the secure request failed unexpectedly', type: 'server_error', code }, headers)
}

/** What the platform fetch rejects with on abort: the signal's reason, an `AbortError` by default. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('This operation was aborted', 'AbortError')
}
