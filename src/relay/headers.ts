/** Which headers cross the relay, in each direction. */
import { HEADER_PAYLOAD_ID, HEADER_PUBLIC_KEY, HEADER_SECURITY_TIER } from '../protocol/constants.js'

/** Request headers the router needs, passed on byte for byte; everything else (cookies!) stays behind. */
const FORWARDED_REQUEST_HEADERS = ['content-type', HEADER_PAYLOAD_ID, HEADER_PUBLIC_KEY, HEADER_SECURITY_TIER]

/** Answer headers that describe one hop or the relay's body, not the router's answer; and CORS, which is the relay's. */
const DROPPED_ANSWER_HEADERS =
  /^(connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade|content-length|content-encoding|set-cookie|access-control-.*)$/i

/** The headers of the request to the router: the protocol's, untouched, and the relay's own API key. */
export function routerRequestHeaders(request: Request, apiKey: string | undefined): Headers {
  const headers = new Headers()
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  if (apiKey) headers.set('Authorization', `Bearer ${apiKey}`)
  return headers
}

/**
 * The headers of the answer to the page: the router's own (extensions such as its key-binding
 * advertisement included, and exposed to a cross-origin page, which reads them only then) and the
 * relay's CORS headers.
 */
export function pageAnswerHeaders(router: Headers, cors: Record<string, string>): Headers {
  const headers = new Headers()
  for (const [name, value] of router) if (!DROPPED_ANSWER_HEADERS.test(name)) headers.append(name, value)
  const names = [...headers.keys()]
  if (cors['Access-Control-Allow-Origin'] && names.length) headers.set('Access-Control-Expose-Headers', names.join(', '))
  for (const [name, value] of Object.entries(cors)) headers.set(name, value)
  return headers
}
