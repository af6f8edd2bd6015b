/** Maps an HTTP error answer to the documented error class, keeping the router's `detail`. */
import {
  APIError,
  AuthenticationError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ServiceUnavailableError,
} from '../errors.js'

const BY_STATUS: Record<number, [typeof APIError, string]> = {
  400: [InvalidRequestError, 'The router rejected the request as invalid'],
  401: [AuthenticationError, 'Authentication failed: the API key is missing or wrong'],
  403: [ForbiddenError, 'Forbidden: the request is not allowed (e.g. model not available at this security tier)'],
  404: [NotFoundError, 'Not found: secure inference is not enabled at this URL'],
  429: [RateLimitError, 'Rate limit exceeded'],
  500: [ServerError, 'The router failed with an internal error'],
  503: [ServiceUnavailableError, 'The inference backend is unavailable'],
}

/** The longest server `detail` kept; a router echoing a huge body should not produce a huge error. */
const MAX_DETAIL_CHARS = 2000

/**
 * Builds the error for a non-2xx answer. `details` is the router's `{ "detail": ... }` value when the
 * body is such JSON, else a short prefix of the text body; the message includes it for humans.
 */
export function errorForStatus(status: number, body: Uint8Array, retryAfterMs?: number): APIError {
  const details = readDetail(body)
  const [ErrorClass, text] = BY_STATUS[status] ?? [status >= 500 ? ServerError : APIError, `The router answered HTTP ${status}`]
  const suffix = typeof details === 'string' && details ? `: ${details}` : ''
  return new ErrorClass(`${text} (HTTP ${status})${suffix}`, { status, details, retryAfterMs })
}

function readDetail(body: Uint8Array): unknown {
  const text = new TextDecoder().decode(body.subarray(0, MAX_DETAIL_CHARS * 4))
  try {
    const json = JSON.parse(text) as unknown
    if (json && typeof json === 'object' && 'detail' in json) {
      const detail = (json as { detail: unknown }).detail
      return typeof detail === 'string' ? detail.slice(0, MAX_DETAIL_CHARS) : detail
    }
    return json
  } catch {
    return text.trim().slice(0, MAX_DETAIL_CHARS) || undefined
  }
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
