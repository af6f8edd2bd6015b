/**
 * One console line per request: time, method, path, status, payload id, bytes in and out, ms, and a
 * short note (e.g. why the upstream failed). Only facts about the traffic: never a body, a header
 * value other than the payload id, or anything decrypted.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const current = new AsyncLocalStorage()

/** Adds a short note (no plaintext!) to the log line of the request being handled. */
export function note(text) {
  const slot = current.getStore()
  if (slot) slot.note = text
}

/** The router's `onRequest` hook: keeps its facts (payload id, bytes in) for the log line. */
export function recordRouterEvent(event) {
  const slot = current.getStore()
  if (slot) slot.event = event
}

/**
 * Wraps a handler so each request is logged when its answer is ready.
 *
 * @param {(request: Request) => Promise<Response>} handler
 * @param {(line: string) => void} write
 */
export function withRequestLog(handler, write) {
  return async function logged(request) {
    const slot = {}
    const started = performance.now()
    let response
    try {
      response = await current.run(slot, () => handler(request))
    } catch {
      response = Response.json({ detail: 'Internal error' }, { status: 500 })
    }
    // The body is buffered to count it; the router's answers are whole sealed packages anyway.
    const body = response.body ? new Uint8Array(await response.arrayBuffer()) : null
    const event = slot.event ?? {}
    const fields = [
      new Date().toISOString().slice(11, 23),
      request.method,
      safe(new URL(request.url).pathname, 80),
      String(response.status),
    ]
    if (event.payloadId) fields.push(`id=${safe(event.payloadId, 64)}`)
    if (event.bytesIn !== undefined) fields.push(`in=${event.bytesIn}B`)
    fields.push(`out=${event.bytesOut ?? body?.length ?? 0}B`, `${Math.round(performance.now() - started)}ms`)
    if (slot.note) fields.push(`(${slot.note})`)
    write(fields.join(' '))
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}

/** Client-chosen text (path, payload id) cut short and stripped of anything that could forge a log line. */
function safe(text, max) {
  const clean = text.replace(/[^\x21-\x7e]/g, '?')
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}
