/**
 * Refuses requests whose Host header does not name this machine when the router listens on a
 * loopback address. Without it, a web page could point its own domain at 127.0.0.1 (DNS
 * rebinding) and use the router as a same-origin page, around CORS.
 */
import { isLoopback } from '../shared/loopback.js'

/** A check that answers 421 for a foreign Host, undefined otherwise. */
export function hostGuard(boundHost: string): (request: Request) => Response | undefined {
  if (!isLoopback(boundHost)) return () => undefined
  return (request) => {
    const host = new URL(request.url).hostname
    if (isLoopback(host)) return undefined
    return Response.json({ detail: 'This development router only answers requests addressed to localhost' }, { status: 421 })
  }
}
