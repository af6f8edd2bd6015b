/** Maps an HTTP error answer to the documented error class, keeping the router's `detail`. */
import {
  APIError,
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../api-errors.js'

/** The class of each status with its own; other statuses are `ServerError` (5xx) or `APIError`. */
const BY_STATUS: Record<number, typeof APIError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  500: ServerError,
  503: ServiceUnavailableError,
}

/** The longest server `detail` kept; a router echoing a huge body should not produce a huge error. */
const MAX_DETAIL_CHARS = 2000

/** What the transport knows about a failed answer besides its body. */
export interface FailedAnswer {
  status: number
  headers: Headers
  requestId?: string | undefined
  retryAfterMs?: number | undefined
}

/**
 * Builds the error for a non-2xx answer. `details` is the router's `{ "detail": ... }` value when the
 * body is such JSON (else the parsed body, or a short prefix of a text body), and the message
 * includes it for humans; `errorDetails` is the whole parsed JSON object, as Python's `error_details`.
 */
export function errorForStatus(answer: FailedAnswer, body: Uint8Array): APIError {
  const { status } = answer
  const text = new TextDecoder().decode(body.subarray(0, MAX_DETAIL_CHARS * 4))
  let json: unknown
  let details: unknown
  try {
    json = JSON.parse(text)
    details = json && typeof json === 'object' && 'detail' in json ? (json as { detail: unknown }).detail : json
  } catch {
    details = text.trim() || undefined
  }
  if (typeof details === 'string') details = details.slice(0, MAX_DETAIL_CHARS)
  const errorDetails = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined
  const ErrorClass = BY_STATUS[status] ?? (status >= 500 ? ServerError : APIError)
  // The class names the kind of failure (`AuthenticationError: The router answered HTTP 401: ...`).
  const suffix = typeof details === 'string' && details ? `: ${details}` : ''
  return new ErrorClass(`The router answered HTTP ${status}${suffix}`, { ...answer, details, errorDetails })
}

/**
 * The pause the router asked for, in milliseconds from now: `retry-after-ms` (as the `openai`
 * package reads it) before `Retry-After` (delta seconds or an HTTP date).
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '')
  if (ms >= 0) return Math.round(ms)
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
