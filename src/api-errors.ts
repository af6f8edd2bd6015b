/**
 * The errors of HTTP: the router answered with an error status ({@link APIError} and one class per
 * status), or could not be reached. Their codes are members of {@link ErrorCode} (`errors.ts`).
 */
import { type ErrorCode, NomyoError } from './errors.js'

/** What the transport knows about a failed request; every field is optional. */
export interface APIErrorInit {
  status?: number | undefined
  details?: unknown
  errorDetails?: Record<string, unknown> | undefined
  headers?: Headers | undefined
  requestId?: string | undefined
  retryAfterMs?: number | undefined
  cause?: unknown
}

/**
 * The router answered with an HTTP error status. `status` (also `statusCode`, as in the reference
 * Python client) is the HTTP status; `details` the router's own `detail` (or the parsed body when
 * it has none); `errorDetails` the whole parsed JSON body (Python's `error_details`); `headers`
 * the answer's headers; `requestId` the request's payload id.
 *
 * @example
 * ```ts
 * try { await client.create({ model, messages }) }
 * catch (err) { if (err instanceof APIError && err.statusCode === 403) showTierHint(err.details, err.requestId) }
 * ```
 */
export class APIError extends NomyoError {
  static override code: ErrorCode = 'ERR_API'
  declare readonly status: number | undefined
  declare readonly details: unknown
  declare readonly errorDetails: Record<string, unknown> | undefined
  declare readonly headers: Headers | undefined
  declare readonly requestId: string | undefined
  /** The router's `retry-after-ms` or `Retry-After` in milliseconds, when it sent one. */
  declare readonly retryAfterMs: number | undefined

  constructor(message: string, init: APIErrorInit = {}) {
    const { cause, ...fields } = init
    super(message, 'cause' in init ? { cause } : undefined)
    // One assignment instead of six keeps the browser bundle small; the fields are declared above.
    Object.assign(this, fields)
  }

  /** The HTTP status under the reference Python client's name. */
  get statusCode(): number | undefined {
    return this.status
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, details: this.details, requestId: this.requestId }
  }
}

/**
 * HTTP 400: the router could not use the request.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidRequestError) console.error('Rejected by the router:', err.details)
 * ```
 */
export class InvalidRequestError extends APIError {
  static override code: ErrorCode = 'ERR_INVALID_REQUEST'
}
/**
 * HTTP 409: the request conflicts with the router's state. An {@link InvalidRequestError}.
 *
 * @example
 * ```ts
 * if (err instanceof ConflictError) console.error('Conflict:', err.details)
 * ```
 */
export class ConflictError extends InvalidRequestError {
  static override code: ErrorCode = 'ERR_CONFLICT'
}
/**
 * HTTP 422: the router (FastAPI routers do) could not validate the request; `details` lists what.
 * An {@link InvalidRequestError}, so code that catches 400s catches it too.
 *
 * @example
 * ```ts
 * if (err instanceof UnprocessableEntityError) console.error('Invalid fields:', err.details)
 * ```
 */
export class UnprocessableEntityError extends InvalidRequestError {
  static override code: ErrorCode = 'ERR_UNPROCESSABLE_ENTITY'
}
/**
 * HTTP 401: missing or wrong API key.
 *
 * @example
 * ```ts
 * if (err instanceof AuthenticationError) showApiKeyDialog()
 * ```
 */
export class AuthenticationError extends APIError {
  static override code: ErrorCode = 'ERR_AUTHENTICATION'
}
/**
 * HTTP 403: not allowed, e.g. the model is not available at the requested security tier.
 *
 * @example
 * ```ts
 * if (err instanceof ForbiddenError) return client.create({ model, messages, security_tier: 'standard' })
 * ```
 */
export class ForbiddenError extends APIError {
  static override code: ErrorCode = 'ERR_FORBIDDEN'
}
/**
 * HTTP 404: secure inference is not enabled on this router (or the URL is wrong).
 *
 * @example
 * ```ts
 * if (err instanceof NotFoundError) console.error('Check baseUrl: no secure endpoint there')
 * ```
 */
export class NotFoundError extends APIError {
  static override code: ErrorCode = 'ERR_NOT_FOUND'
}
/**
 * HTTP 429: rate limit exceeded. `retryAfterMs` tells when to try again, when the router said.
 *
 * @example
 * ```ts
 * if (err instanceof RateLimitError) await new Promise((r) => setTimeout(r, err.retryAfterMs ?? 5000))
 * ```
 */
export class RateLimitError extends APIError {
  static override code: ErrorCode = 'ERR_RATE_LIMIT'
}
/**
 * HTTP 500 (and other 5xx without their own class): the router failed.
 *
 * @example
 * ```ts
 * if (err instanceof ServerError) report(err.status, err.details)
 * ```
 */
export class ServerError extends APIError {
  static override code: ErrorCode = 'ERR_SERVER'
}
/**
 * HTTP 503: the inference backend is unavailable (already retried `maxRetries` times).
 *
 * @example
 * ```ts
 * if (err instanceof ServiceUnavailableError) banner.textContent = 'The model is busy, try again shortly'
 * ```
 */
export class ServiceUnavailableError extends APIError {
  static override code: ErrorCode = 'ERR_SERVICE_UNAVAILABLE'
}

/**
 * The router could not be reached, or the connection broke before a whole answer arrived.
 *
 * @example
 * ```ts
 * if (err instanceof APIConnectionError && !(err instanceof APITimeoutError)) banner.textContent = 'Offline?'
 * ```
 */
export class APIConnectionError extends APIError {
  static override code: ErrorCode = 'ERR_CONNECTION'
  constructor(message = 'Could not connect to the router', init: APIErrorInit = {}) {
    super(message, init)
  }
}

/**
 * The request (including reading the answer) took longer than `timeout`.
 *
 * @example
 * ```ts
 * await client.create({ model, messages }, { timeout: 30_000 }).catch((err) => { if (err instanceof APITimeoutError) return fallback() ; throw err })
 * ```
 */
export class APITimeoutError extends APIConnectionError {
  static override code: ErrorCode = 'ERR_TIMEOUT'
  constructor(message = 'The request timed out', init: APIErrorInit = {}) {
    super(message, init)
  }
}
