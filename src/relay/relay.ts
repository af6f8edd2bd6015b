/**
 * The API-key relay: an edge function or server between a single-page app and a NOMYO router. It
 * adds the server-held API key and passes sealed packages through; it has no private key, so it
 * can read neither a prompt nor an answer (the very middle box the protocol is built to defeat).
 */
import { normalizeRouterUrl } from '../client/options.js'
import { HEADER_PAYLOAD_ID, MAX_RESPONSE_BYTES, PUBLIC_KEY_PATH, SECURE_COMPLETION_PATH } from '../protocol/constants.js'
import { BodyTooLarge, passBounded, readBounded } from './bounded-body.js'
import { type AllowedOrigins, corsFor, preflightHeaders } from './cors.js'
import { pageAnswerHeaders, routerRequestHeaders } from './headers.js'
import type { RequestEvent } from '../router/handler.js'

/** What the relay reports once per request: the router's facts (no body, no header value but the payload id). */
export type RelayEvent = RequestEvent

export interface RelayOptions {
  /** The NOMYO router, e.g. `https://api.nomyo.ai:12435` (http only with `allowHttp`). */
  routerUrl: string
  /** The API key the relay adds as `Authorization: Bearer …`; it never reaches the page. */
  apiKey?: string
  /**
   * The app's own check (session cookie, token), run before anything is forwarded; `false` answers
   * 401. Without it anyone who can reach the relay spends the key: rate-limit it at least.
   */
  authorize?(request: Request): boolean | Promise<boolean>
  /** Browser origins other than the relay's own that may call it (CORS); others get 403. */
  allowedOrigins?: AllowedOrigins
  /** Largest request package forwarded (default 16 MiB, the router's own limit): larger is 413. */
  maxBodyBytes?: number
  /** Milliseconds to wait for the router (default 300 000); then 504. */
  timeout?: number
  /** Allows an `http://` router URL (local development only: the API key would travel in clear). */
  allowHttp?: boolean
  /** The `fetch` used to reach the router (default: the global one). */
  fetch?: (input: Request) => Promise<Response>
  /** Called once per request with facts that carry no content. Nothing is logged without it. */
  onRequest?(event: RelayEvent): void
}

/**
 * Creates the relay handler: `GET /pki/public_key` and `POST /v1/chat/secure_completion` (under any
 * path prefix) go to the router with the API key; anything else is 404.
 *
 * @example Cloudflare Worker (`wrangler secret put NOMYO_API_KEY`); the page uses `baseUrl: location.origin` and no API key
 * ```ts
 * import { createRelay } from 'nomyo-secure/relay'
 * let relay: ((request: Request) => Promise<Response>) | undefined
 * export default {
 *   fetch(request: Request, env: { NOMYO_API_KEY: string }): Promise<Response> {
 *     relay ??= createRelay({
 *       routerUrl: 'https://api.nomyo.ai:12435',
 *       apiKey: env.NOMYO_API_KEY,
 *       authorize: (request) => request.headers.get('cookie')?.includes('session=') === true,
 *     })
 *     return relay(request)
 *   },
 * }
 * ```
 */
export function createRelay(options: RelayOptions): (request: Request) => Promise<Response> {
  const routerUrl = normalizeRouterUrl(options.routerUrl, options.allowHttp === true)
  if (options.apiKey !== undefined && (typeof options.apiKey !== 'string' || /[\r\n\0]/.test(options.apiKey))) {
    throw new TypeError('apiKey must be a string without line breaks')
  }
  const limit = options.maxBodyBytes ?? MAX_RESPONSE_BYTES
  const timeout = options.timeout ?? 300_000
  const send = options.fetch ?? ((input: Request) => fetch(input))

  return async function relay(request: Request): Promise<Response> {
    const started = Date.now()
    const path = new URL(request.url).pathname.replace(/\/+$/, '')
    const facts: Partial<RelayEvent> = {}
    const cors = corsFor(request, options.allowedOrigins)
    const report = (status: number) => options.onRequest?.({ method: request.method, path, status, ...facts, ms: Date.now() - started })
    /** The relay's own answers (refusals, preflights); the router's pass through below. */
    const answer = (status: number, body: BodyInit | null, headers: Record<string, string> = {}) => {
      report(status)
      return new Response(body, { status, headers: { ...cors.headers, ...headers } })
    }
    const fail = (status: number, detail: string) => answer(status, JSON.stringify({ detail }), { 'Content-Type': 'application/json' })

    if (!cors.allowed) return fail(403, 'Origin not allowed')
    if (request.method === 'OPTIONS') {
      return Object.keys(cors.headers).length ? answer(204, null, preflightHeaders(cors.headers)) : fail(403, 'Origin not allowed')
    }
    let authorized: boolean
    try {
      authorized = options.authorize ? (await options.authorize(request)) === true : true
    } catch {
      authorized = false
    }
    if (!authorized) return fail(401, 'Not authorized')

    const target = path.endsWith(SECURE_COMPLETION_PATH)
      ? SECURE_COMPLETION_PATH
      : path.endsWith(PUBLIC_KEY_PATH)
        ? PUBLIC_KEY_PATH
        : undefined
    if (!target) return fail(404, 'Not found')
    const method = target === SECURE_COMPLETION_PATH ? 'POST' : 'GET'
    if (request.method !== method && !(method === 'GET' && request.method === 'HEAD')) return fail(405, `Use ${method}`)

    facts.payloadId = request.headers.get(HEADER_PAYLOAD_ID) ?? undefined
    let body: Uint8Array | undefined
    if (method === 'POST') {
      try {
        body = await readBounded(request, limit)
      } catch (error) {
        return error instanceof BodyTooLarge ? fail(413, 'Request package too large') : fail(400, 'The request body could not be read')
      }
      facts.bytesIn = body.length
    }

    // One deadline for the whole exchange, answer body included; the page hanging up ends it too.
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeout)
    const abort = () => controller.abort()
    request.signal?.addEventListener('abort', abort)
    const release = () => {
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', abort)
    }
    let upstream: Response
    try {
      const headers = routerRequestHeaders(request, options.apiKey)
      upstream = await send(
        new Request(routerUrl + target, {
          method: request.method,
          headers,
          body: body as BodyInit | undefined,
          redirect: 'manual',
          signal: controller.signal,
        }),
      )
    } catch {
      release()
      const timedOut = controller.signal.aborted && !request.signal?.aborted
      return timedOut ? fail(504, 'The router did not answer in time') : fail(502, 'The router could not be reached')
    }
    // A redirect would send the page (or the key) somewhere the app never chose: refuse it.
    if (upstream.status >= 300 && upstream.status < 400) {
      release()
      await upstream.body?.cancel()
      return fail(502, 'The router answered with a redirect')
    }
    const finish = (bytes: number) => {
      release()
      facts.bytesOut = bytes
      report(upstream.status)
    }
    if (!upstream.body) finish(0)
    const headers = pageAnswerHeaders(upstream.headers, cors.headers)
    return new Response(upstream.body && passBounded(upstream.body, limit, finish), { status: upstream.status, headers })
  }
}
