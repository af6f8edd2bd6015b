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
import { streamBody, type UploadStream } from '#platform/upload-stream'

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
  /**
   * Give the platform fetch a large body as a stream of slices rather than the bytes, which it would
   * copy whole (`#platform/upload-stream`; not in browser builds, where it is ignored). A custom fetch
   * always gets the bytes.
   */
  streamUploads?: boolean | undefined
}

export interface HttpRequest {
  url: string
  method: 'GET' | 'POST'
  headers: HeadersInit
  body?: Uint8Array
  /**
   * The body's buffer is the caller's own and dead once a 2xx answer arrives (a sealed package: no
   * retry follows a 2xx). With the platform fetch (which copied it when called, or has read all of
   * it as a stream) a large answer is then read into that buffer when it fits, else the buffer is
   * released (see `releaseBuffer`).
   */
  disposableBody?: boolean
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

/**
 * Answers declaring this many bytes or more are read by large-answers.ts (loaded only then), as are
 * those of unknown length that could go into the request's buffer; below, neither reusing that
 * buffer nor a BYOB reader saves anything worth the code.
 */
export const LARGE_ANSWER_BYTES = 1024 * 1024

/** Request bodies this big, when still bytes (not streamed), go to the platform fetch as a Request. */
const LARGE_BODY_BYTES = LARGE_ANSWER_BYTES

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
    let upload: UploadStream | undefined
    try {
      const init: RequestInit = {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        signal: controller.signal,
        redirect: 'manual',
      }
      // A fresh stream per attempt (a retry sends the same bytes again). Browser builds have no
      // `streamBody` (`#platform/upload-stream`), so the bundler drops this line there.
      if (streamBody && settings.streamUploads && !settings.fetch) upload = streamBody(init)
      // The platform fetch (looked up per call and called as a plain function: a stored
      // `window.fetch` called as a method throws "Illegal invocation", and polyfills installed later
      // are still picked up) gets a Request built first when the body is big bytes: Node's undici
      // then copies it once instead of twice (13 MB less for a 10 MiB package). Below that the copy
      // is small, and the Request costs Node ~0.1 ms of CPU per call (undici wraps its body in a
      // TransformStream); elsewhere the two are the same. A custom fetch keeps (url, init).
      const big = init.body instanceof Uint8Array && init.body.byteLength >= LARGE_BODY_BYTES
      response = settings.fetch
        ? await settings.fetch(request.url, init)
        : await (big ? globalThis.fetch(new Request(request.url, init)) : globalThis.fetch(request.url, init))
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
      // A custom fetch may still hold the body it was given (a logger, a test): only the platform's
      // is known to have copied it, or read all of the stream.
      const spare = response.ok && request.disposableBody && !settings.fetch && upload?.finished !== false ? request.body : undefined
      body = await readBody(response, response.ok ? settings.maxResponseBytes : 64 * 1024, spare)
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

/**
 * Reads the whole body, refusing more than `limit` bytes (error bodies are simply cut). A 2xx answer
 * that declares {@link LARGE_ANSWER_BYTES} or more, or no length while `spare` is there to read into,
 * goes to large-answers.ts (error bodies stop at 64 KiB, and get no `spare`). Any other is read into a
 * buffer of its own, and `spare` is left to the collector like any dead buffer (releasing it at once
 * saves no peak: the exchange's peak is behind it by then).
 */
async function readBody(response: Response, limit: number, spare?: Uint8Array): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  if (response.ok && declared > limit) {
    await response.body?.cancel().catch(() => {})
    throw answerTooLarge(limit)
  }
  const length = declared > 0 ? Math.min(declared, limit) : 0
  const { body } = response
  if (body && (length >= LARGE_ANSWER_BYTES || (spare && !length)))
    return (await import('./large-answers.js')).readLarge(body, length, limit, spare)
  return body
    ? readChunks(body.getReader(), new Uint8Array(length), limit, response.ok ? () => answerTooLarge(limit) : undefined)
    : new Uint8Array(0)
}

/** What {@link readChunks} needs of a default reader. */
export type ChunkReader = Pick<ReadableStreamDefaultReader<Uint8Array>, 'read' | 'cancel'>

/**
 * Reads chunk by chunk, copying each into `out` as it arrives (grown when full), so none is held to
 * the end and nothing is joined. Past `limit` bytes the body is refused with `tooLarge()` when
 * given (a 2xx answer, a request the router reads), else cut there (an error body).
 */
export async function readChunks(reader: ChunkReader, out: Uint8Array, limit: number, tooLarge?: () => Error): Promise<Uint8Array> {
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    let chunk = value
    if (total + chunk.byteLength > limit) {
      await reader.cancel().catch(() => {})
      if (tooLarge) throw tooLarge()
      chunk = chunk.subarray(0, limit - total)
    }
    if (total + chunk.byteLength > out.length) out = grown(out, Math.min(limit, Math.max(2 * out.length, total + chunk.byteLength)))
    out.set(chunk, total)
    total += chunk.byteLength
    if (total === limit && chunk !== value) break
  }
  return out.subarray(0, total)
}

/** The error for a 2xx answer over the client's `maxResponseBytes`. */
export const answerTooLarge = (limit: number) => new ProtocolError(`The answer is larger than the ${limit}-byte limit`)

/** A copy of `bytes` in a buffer of `length` bytes. */
export function grown(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  out.set(bytes)
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
