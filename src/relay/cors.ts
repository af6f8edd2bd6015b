/**
 * Which browser origins may call the relay, and the CORS headers it answers them with. A request
 * from any other origin is refused before `authorize` runs: the relay holds an API key, so a page
 * on another site must not be able to spend it through a visitor's cookies.
 */
import { HEADER_PAYLOAD_ID, HEADER_PUBLIC_KEY, HEADER_SECURITY_TIER } from '../protocol/constants.js'

/** `'*'` for any origin, or the exact origins (`https://app.example.com`) allowed besides the relay's own. */
export type AllowedOrigins = '*' | readonly string[]

const ALLOWED_REQUEST_HEADERS = `Content-Type, Authorization, ${HEADER_PAYLOAD_ID}, ${HEADER_PUBLIC_KEY}, ${HEADER_SECURITY_TIER}`

/**
 * Whether the request's origin may use the relay, and the CORS headers for its answers. A request
 * without `Origin`, or from the relay's own origin, is same-origin and needs none.
 */
export function corsFor(request: Request, allowed: AllowedOrigins | undefined): { allowed: boolean; headers: Record<string, string> } {
  const origin = request.headers.get('origin')
  if (origin === null || origin === new URL(request.url).origin) return { allowed: true, headers: {} }
  const ok = allowed === '*' || allowed?.includes(origin) === true
  if (!ok) return { allowed: false, headers: {} }
  return {
    allowed: true,
    headers: {
      // Named origins may send their cookies (the app's session, for `authorize`); `*` never can.
      ...(allowed === '*'
        ? { 'Access-Control-Allow-Origin': '*' }
        : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' }),
      Vary: 'Origin',
    },
  }
}

/** The answer to a preflight from an allowed origin. */
export function preflightHeaders(cors: Record<string, string>): Record<string, string> {
  return {
    ...cors,
    'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Max-Age': '600',
  }
}
