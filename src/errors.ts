/**
 * Every error the library throws on purpose extends {@link NomyoError} and carries a stable string
 * `code`. Messages name what went wrong and which field, never a value: no plaintext, key material
 * or API key can end up in a message, in `details` or in a `cause`.
 *
 * Caller mistakes (bad options, missing `model`) are plain `TypeError`s, like the platform's own.
 */

/** Base class of every error thrown by nomyo-secure. */
export class NomyoError extends Error {
  /** Stable machine-readable identifier, e.g. `ERR_SECURITY`. */
  static code = 'ERR_NOMYO'
  /** Stable machine-readable identifier, e.g. `ERR_SECURITY`. */
  readonly code: string = 'ERR_NOMYO'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = (new.target as typeof NomyoError).code
  }

  /** Serialises to the safe fields only (a `cause` might hold a platform error). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message }
  }
}

/**
 * The router answered with an HTTP error status. `status` is the HTTP status and `details` the
 * router's own `detail` text (or the parsed JSON body when it has no `detail`).
 *
 * @example
 * ```ts
 * try { await client.create({ model, messages }) }
 * catch (err) { if (err instanceof APIError && err.status === 403) showTierHint(err.details) }
 * ```
 */
export class APIError extends NomyoError {
  static override code = 'ERR_API'
  readonly status: number | undefined
  readonly details: unknown
  /** The router's `Retry-After` in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined

  constructor(message: string, init: { status?: number; details?: unknown; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, 'cause' in init ? { cause: init.cause } : undefined)
    this.status = init.status
    this.details = init.details
    this.retryAfterMs = init.retryAfterMs
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, details: this.details }
  }
}

/** HTTP 400: the router could not use the request. */
export class InvalidRequestError extends APIError {
  static override code = 'ERR_INVALID_REQUEST'
}
/** HTTP 401: missing or wrong API key. */
export class AuthenticationError extends APIError {
  static override code = 'ERR_AUTHENTICATION'
}
/** HTTP 403: not allowed, e.g. the model is not available at the requested security tier. */
export class ForbiddenError extends APIError {
  static override code = 'ERR_FORBIDDEN'
}
/** HTTP 404: secure inference is not enabled on this router (or the URL is wrong). */
export class NotFoundError extends APIError {
  static override code = 'ERR_NOT_FOUND'
}
/** HTTP 429: rate limit exceeded. `retryAfterMs` tells when to try again, when the router said. */
export class RateLimitError extends APIError {
  static override code = 'ERR_RATE_LIMIT'
}
/** HTTP 500 (and other 5xx without their own class): the router failed. */
export class ServerError extends APIError {
  static override code = 'ERR_SERVER'
}
/** HTTP 503: the inference backend is unavailable. */
export class ServiceUnavailableError extends APIError {
  static override code = 'ERR_SERVICE_UNAVAILABLE'
}

/** The router could not be reached, or the connection broke before a whole answer arrived. */
export class APIConnectionError extends APIError {
  static override code = 'ERR_CONNECTION'
  constructor(message = 'Could not connect to the router', options: { cause?: unknown } = {}) {
    super(message, options)
  }
}

/** The request (including reading the answer) took longer than `timeout`. */
export class APITimeoutError extends APIConnectionError {
  static override code = 'ERR_TIMEOUT'
  constructor(message = 'The request timed out') {
    super(message)
  }
}

/** The caller aborted the request through its `AbortSignal`. */
export class APIUserAbortError extends NomyoError {
  static override code = 'ERR_ABORTED'
  constructor(message = 'The request was aborted') {
    super(message)
  }
}

/**
 * A security guarantee could not be kept: plain `http://` without `allowHttp`, a router key that
 * does not match the pinned fingerprint or is too weak, or a package that failed authentication.
 * Decryption failures always carry the same fixed message and no cause, so nothing tells an
 * attacker which step failed.
 */
export class SecurityError extends NomyoError {
  static override code = 'ERR_SECURITY'
}

/** The one message of every failed unwrap, authentication or decryption. */
export const DECRYPTION_FAILED = 'Decryption failed: the package could not be authenticated'

/** A package or a decrypted plaintext is malformed (missing field, bad base64, not JSON, too large). */
export class ProtocolError extends NomyoError {
  static override code = 'ERR_PROTOCOL'
}

/** A key could not be used: bad PEM, wrong password, not RSA, too short. */
export class KeyError extends NomyoError {
  static override code = 'ERR_KEY'
}

/** A key file uses a format or cipher WebCrypto cannot read; the message says how to convert it. */
export class UnsupportedKeyError extends KeyError {
  static override code = 'ERR_KEY_UNSUPPORTED'
}
