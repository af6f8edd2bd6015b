/**
 * The one place that talks HTTP: timeouts, caller aborts, bounded body reads, redirects, and the
 * retry policy, on the platform `fetch` (or an injected one). Every call returns a whole 2xx body or
 * throws a typed error.
 *
 * Why not ofetch: every feature it adds (retries, timeouts, body parsing, error wrapping) has to be
 * switched off here — retries must honour Retry-After, the timeout must cover a size-bounded body
 * read, and redirects must not be followed — so it was only a 3.8 KB gzip pass-through to `fetch`,
 * a fifth of the browser bundle.
 */
import { APIUserAbortError, type NomyoError, ProtocolError } from '../errors.js'
import { APIConnectionError, APIError, APITimeoutError } from '../api-errors.js'
import { errorForStatus, parseRetryAfter } from './status-errors.js'
import { retryDelay, shouldRetry } from './retry.js'
import type { Logger } from './logger.js'

/** A `fetch`-compatible function. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface TransportSettings {
  /** Custom fetch; called as a plain function. Defaults to `globalThis.fetch` looked up at call time. */
  fetch?: FetchFunction | undefined
  /** Milliseconds for one attempt, from sending to the last byte of the answer. */
  timeout: number
  /** Extra attempts after the first for retryable failures. */
  maxRetries: number
  maxResponseBytes: number
  logger?: Logger | undefined
}

export interface HttpRequest {
  url: string
  method: 'GET' | 'POST'
  headers: HeadersInit
  body?: Uint8Array
  signal?: AbortSignal | undefined
  /** The payload id, put on every error as `requestId`. */
  requestId?: string | undefined
}

export interface HttpAnswer {
  status: number
  headers: Headers
  body: Uint8Array
}

/** How one attempt ended: a 2xx answer, or an error that may be retried (after the router's pause). */
type Attempt = { answer: HttpAnswer } | { retry: APIError; retryAfterMs?: number | undefined }

/** Sends one request with retries; resolves with a 2xx answer or throws the documented error. */
export async function send(request: HttpRequest, settings: TransportSettings): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(request, settings)
    if ('answer' in outcome) return outcome.answer
    const delay = attempt < settings.maxRetries ? retryDelay(attempt, outcome.retryAfterMs) : undefined
    if (delay === undefined) throw outcome.retry
    settings.logger?.debug?.(`nomyo-secure: retrying in ${delay} ms after ${outcome.retry.code}`)
    await sleep(delay, request.signal)
  }
}

/** Resolves with how the attempt ended; throws the errors that are never retried. */
async function attemptOnce(request: HttpRequest, settings: TransportSettings): Promise<Attempt> {
  if (request.signal?.aborted) throw new APIUserAbortError()
  const { requestId } = request
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, settings.timeout)
  const onAbort = () => controller.abort()
  request.signal?.addEventListener('abort', onAbort, { once: true })
  /** The error that ends the request for good after `cause`, when there is one. */
  const final = (cause: unknown): NomyoError | undefined => {
    if (request.signal?.aborted) return new APIUserAbortError()
    if (timedOut) return new APITimeoutError(`The request timed out after ${settings.timeout} ms`, { requestId })
    if (cause instanceof ProtocolError || cause instanceof APIError) return cause
  }
  try {
    let response: Response
    try {
      // Looked up per call and called as a plain function: a stored `window.fetch` called as a
      // method throws "Illegal invocation", and polyfills installed later are still picked up.
      const fetchFunction = settings.fetch ?? globalThis.fetch
      response = await fetchFunction(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        signal: controller.signal,
        redirect: 'manual',
      })
    } catch (cause) {
      const error = final(cause)
      if (error) throw error
      // Only a failure before any answer arrived is safe to repeat.
      return { retry: new APIConnectionError('Could not connect to the router', { cause, requestId }) }
    }
    const { status, headers } = response
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
      await response.body?.cancel().catch(() => {})
      // A redirect could carry the API key to another origin; a secure router never redirects.
      throw new APIError(`The router answered with a redirect (HTTP ${status}); redirects are not followed`, { status, headers, requestId })
    }
    let body: Uint8Array
    try {
      body = await readBody(response, response.ok ? settings.maxResponseBytes : 64 * 1024)
    } catch (cause) {
      throw final(cause) ?? new APIConnectionError('The connection broke while reading the answer', { cause, requestId })
    }
    if (response.ok) return { answer: { status, headers, body } }
    const retryAfterMs = parseRetryAfter(headers)
    const error = errorForStatus({ status, headers, requestId, retryAfterMs }, body)
    if (shouldRetry(status, headers)) return { retry: error, retryAfterMs }
    throw error
  } finally {
    clearTimeout(timer)
    request.signal?.removeEventListener('abort', onAbort)
  }
}

/** Reads the whole body, refusing more than `limit` bytes (error bodies are simply cut). */
async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  if (response.ok && declared > limit) {
    await response.body?.cancel().catch(() => {})
    throw new ProtocolError(`The answer is larger than the ${limit}-byte limit`)
  }
  if (!response.body) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      if (!response.ok) break
      throw new ProtocolError(`The answer is larger than the ${limit}-byte limit`)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(Math.min(total, limit))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk.subarray(0, out.length - offset), offset)
    offset += chunk.byteLength
  }
  return out
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError())
    const onAbort = () => {
      clearTimeout(timer)
      reject(new APIUserAbortError())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
