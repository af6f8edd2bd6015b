/**
 * Who may use the proxy. It holds the router API key and answers in plaintext, so on a shared
 * machine or in a browser it must not answer just anyone:
 * - bound to loopback, it answers only requests addressed to a loopback name: a web page that points
 *   its own domain at 127.0.0.1 (DNS rebinding) gets 421;
 * - a request from a web page (it carries `Origin`) is refused unless `--cors-origin` allows that
 *   origin, and only then does the proxy answer CORS preflights and add CORS headers;
 * - with `--local-token`, every request but `/healthz` must carry it as its bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { isLoopback } from '../shared/loopback.js'
import { openAiError } from './openai-error.js'

export interface GuardSettings {
  host: string
  corsOrigin: string | undefined
  localToken: string | undefined
}

export interface Guard {
  /** An answer that refuses (or, for a preflight, answers) the request; undefined to go on. */
  check(request: Request): Response | undefined
  /** The response with the CORS headers the request's origin is allowed. */
  finish(request: Request, response: Response): Response
}

export function createGuard({ host, corsOrigin, localToken }: GuardSettings): Guard {
  const loopbackOnly = isLoopback(host)
  const token = localToken === undefined ? undefined : digest(localToken)
  const allowed = (origin: string | null) => origin !== null && corsOrigin !== undefined && (corsOrigin === '*' || origin === corsOrigin)

  return {
    check(request) {
      const url = new URL(request.url)
      if (loopbackOnly && !isLoopback(url.hostname)) {
        return openAiError(421, 'This proxy only answers requests addressed to localhost', 'invalid_request_error', 'host_not_allowed')
      }
      const origin = request.headers.get('origin')
      if (origin !== null && !allowed(origin)) {
        return openAiError(
          403,
          'Requests from web pages are refused; allow an origin with --cors-origin',
          'permission_error',
          'origin_not_allowed',
        )
      }
      if (request.method === 'OPTIONS') {
        if (origin === null) return new Response(null, { status: 204, headers: { allow: 'GET, POST, OPTIONS' } })
        return new Response(null, {
          status: 204,
          headers: {
            'access-control-allow-methods': 'GET, POST, OPTIONS',
            'access-control-allow-headers': 'authorization, content-type, x-security-tier, x-stainless-retry-count',
            'access-control-max-age': '600',
          },
        })
      }
      if (token && url.pathname !== '/healthz' && !matches(request.headers.get('authorization'), token)) {
        return openAiError(401, 'This proxy needs its local token as the bearer key', 'authentication_error', 'invalid_local_token')
      }
      return undefined
    },
    finish(request, response) {
      const origin = request.headers.get('origin')
      if (!allowed(origin)) return response
      const headers = new Headers(response.headers)
      headers.set('access-control-allow-origin', corsOrigin === '*' ? '*' : (origin as string))
      headers.set('access-control-expose-headers', 'x-request-id, retry-after, retry-after-ms')
      headers.append('vary', 'Origin')
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
    },
  }
}

function digest(text: string): Uint8Array {
  return createHash('sha256').update(text).digest()
}

/** Constant-time comparison of the bearer token with the local token (through their digests). */
function matches(header: string | null, expected: Uint8Array): boolean {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null
  return match !== null && timingSafeEqual(digest(match[1]!), expected)
}
