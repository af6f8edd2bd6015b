/**
 * Every error the library throws on purpose extends {@link NomyoError} and carries a stable string
 * `code`. Messages name what went wrong and which field, never a value: no plaintext, key material
 * or API key can end up in a message, in `details` or in a `cause`.
 *
 * Caller mistakes (bad options, missing `model`) are plain `TypeError`s, like the platform's own.
 */

/**
 * Base class of every error thrown by nomyo-secure.
 *
 * @example
 * ```ts
 * try { await client.create({ model, messages }) }
 * catch (err) { if (err instanceof NomyoError) metrics.increment(err.code) ; throw err }
 * ```
 */
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

/**
 * HTTP 400: the router could not use the request.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidRequestError) console.error('Rejected by the router:', err.details)
 * ```
 */
export class InvalidRequestError extends APIError {
  static override code = 'ERR_INVALID_REQUEST'
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
  static override code = 'ERR_AUTHENTICATION'
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
  static override code = 'ERR_FORBIDDEN'
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
  static override code = 'ERR_NOT_FOUND'
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
  static override code = 'ERR_RATE_LIMIT'
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
  static override code = 'ERR_SERVER'
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
  static override code = 'ERR_SERVICE_UNAVAILABLE'
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
  static override code = 'ERR_CONNECTION'
  constructor(message = 'Could not connect to the router', options: { cause?: unknown } = {}) {
    super(message, options)
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
  static override code = 'ERR_TIMEOUT'
  constructor(message = 'The request timed out') {
    super(message)
  }
}

/**
 * The caller aborted the request through its `AbortSignal`.
 *
 * @example
 * ```ts
 * const controller = new AbortController()
 * stopButton.onclick = () => controller.abort()
 * await client.create({ model, messages }, { signal: controller.signal }) // rejects with APIUserAbortError
 * ```
 */
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
 *
 * @example
 * ```ts
 * if (err instanceof SecurityError) alertSecurityTeam(err.code) // never retry these
 * ```
 */
export class SecurityError extends NomyoError {
  static override code = 'ERR_SECURITY'
}

/** The one message of every failed unwrap, authentication or decryption. */
export const DECRYPTION_FAILED = 'Decryption failed: the package could not be authenticated'

/**
 * A package or a decrypted plaintext is malformed (missing field, bad base64, not JSON, too large).
 *
 * @example
 * ```ts
 * if (err instanceof ProtocolError) console.error('Not a NOMYO secure router?', err.message)
 * ```
 */
export class ProtocolError extends NomyoError {
  static override code = 'ERR_PROTOCOL'
}

/**
 * A key could not be used: bad PEM, wrong password, not RSA, too short.
 *
 * @example
 * ```ts
 * await client.loadKeys(pem, undefined, password).catch((err) => { if (err instanceof KeyError) askPasswordAgain() ; else throw err })
 * ```
 */
export class KeyError extends NomyoError {
  static override code = 'ERR_KEY'
}

/**
 * A key file uses a format or cipher WebCrypto cannot read; the message says how to convert it.
 *
 * @example
 * ```ts
 * if (err instanceof UnsupportedKeyError) console.error(err.message) // "... Convert it with: openssl pkcs8 -topk8 ..."
 * ```
 */
export class UnsupportedKeyError extends KeyError {
  static override code = 'ERR_KEY_UNSUPPORTED'
}
