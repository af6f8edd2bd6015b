/**
 * Every error the library throws on purpose extends {@link NomyoError} and carries a stable string
 * `code`. Messages name what went wrong and which field, never a value: no plaintext, key material
 * or API key can end up in a message, in `details` or in a `cause`.
 *
 * Caller mistakes (bad options, missing `model`) are plain `TypeError`s, like the platform's own.
 */

/**
 * Every `code` a {@link NomyoError} can carry: one per class, and no other anywhere in the library,
 * so a `switch (error.code)` can be exhaustive. The codes are stable across releases.
 *
 * @example
 * ```ts
 * function hint(code: ErrorCode): string {
 *   switch (code) {
 *     case 'ERR_AUTHENTICATION': return 'Check the API key'
 *     case 'ERR_RATE_LIMIT': return 'Slow down'
 *     default: return 'Try again later'
 *   }
 * }
 * ```
 */
export type ErrorCode =
  | 'ERR_NOMYO'
  | 'ERR_API'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_CONFLICT'
  | 'ERR_UNPROCESSABLE_ENTITY'
  | 'ERR_AUTHENTICATION'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_RATE_LIMIT'
  | 'ERR_SERVER'
  | 'ERR_SERVICE_UNAVAILABLE'
  | 'ERR_CONNECTION'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_SECURITY'
  | 'ERR_PROTOCOL'
  | 'ERR_UNEXPECTED_RESPONSE'
  | 'ERR_KEY'
  | 'ERR_KEY_UNSUPPORTED'
  | 'ERR_ROUTER'

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
  static code: ErrorCode = 'ERR_NOMYO'
  /** Stable machine-readable identifier, e.g. `ERR_SECURITY`. */
  declare readonly code: ErrorCode

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
  static override code: ErrorCode = 'ERR_ABORTED'
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
  static override code: ErrorCode = 'ERR_SECURITY'
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
  static override code: ErrorCode = 'ERR_PROTOCOL'
}

/**
 * `create()` opened the answer, and it is not a chat completion (a router may seal an error object
 * such as `{ "detail": "..." }`). The decrypted object, with `_metadata`, is on `response`; it is
 * never part of the message or of `toJSON()`, as it may hold model output.
 *
 * @example
 * ```ts
 * if (err instanceof UnexpectedResponseError) console.error('The router answered:', err.response.detail)
 * ```
 */
export class UnexpectedResponseError extends ProtocolError {
  static override code: ErrorCode = 'ERR_UNEXPECTED_RESPONSE'
  readonly response: Record<string, unknown>
  constructor(response: Record<string, unknown>) {
    super('The answer is not a chat completion (no "choices" array)')
    this.response = response
  }
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
  static override code: ErrorCode = 'ERR_KEY'
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
  static override code: ErrorCode = 'ERR_KEY_UNSUPPORTED'
}

/**
 * Thrown by a router's completion function to answer with a protocol error: the router replies
 * `{ "detail": message }` with `status` (and `headers`). Any other exception becomes a 500 without
 * its message. Exported by `nomyo-secure/router`.
 *
 * @example
 * ```ts
 * complete: async (request) => {
 *   if (!models.has(request.model)) throw new RouterError(403, 'Model not allowed at this security tier')
 *   ...
 * }
 * ```
 */
export class RouterError extends NomyoError {
  static override code: ErrorCode = 'ERR_ROUTER'
  readonly status: number
  readonly headers: Record<string, string>
  constructor(status: number, detail: string, headers: Record<string, string> = {}) {
    super(detail)
    this.status = status
    this.headers = headers
  }
}
