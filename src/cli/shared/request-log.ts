/**
 * One console line per request: time, method, path, status, payload id, bytes in and out, ms, and a
 * short note (e.g. why the upstream failed). Only facts about the traffic: never a body, a header
 * value other than the payload id, or anything decrypted.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

/** Facts a handler adds to its request's line. */
interface LogSlot {
  note?: string
  event?: { payloadId?: string | undefined; bytesIn?: number | undefined; bytesOut?: number | undefined }
}

const current = new AsyncLocalStorage<LogSlot>()

/** Adds a short note (no plaintext!) to the log line of the request being handled. */
export function note(text: string): void {
  const slot = current.getStore()
  if (slot) slot.note = text
}

/** Keeps facts about the traffic (payload id, bytes in; the router's `onRequest` hook) for the log line. */
export function recordTraffic(event: NonNullable<LogSlot['event']>): void {
  const slot = current.getStore()
  if (slot) slot.event = event
}

/**
 * Wraps a handler so each request is logged when its answer is ready. The body is counted as it
 * passes (streams stay streams); the line is written when it has been sent or the client left.
 */
export function withRequestLog(
  handler: (request: Request) => Promise<Response>,
  write: (line: string) => void,
): (request: Request) => Promise<Response> {
  return async function logged(request) {
    const slot: LogSlot = {}
    const started = performance.now()
    let response: Response
    try {
      response = await current.run(slot, () => handler(request))
    } catch {
      response = Response.json({ detail: 'Internal error' }, { status: 500 })
    }
    const finish = (bytesOut: number) => {
      const event = slot.event ?? {}
      const fields = [
        new Date().toISOString().slice(11, 23),
        request.method,
        safe(new URL(request.url).pathname, 80),
        String(response.status),
      ]
      if (event.payloadId) fields.push(`id=${safe(event.payloadId, 64)}`)
      if (event.bytesIn !== undefined) fields.push(`in=${event.bytesIn}B`)
      fields.push(`out=${event.bytesOut ?? bytesOut}B`, `${Math.round(performance.now() - started)}ms`)
      if (slot.note) fields.push(`(${slot.note})`)
      write(fields.join(' '))
    }
    if (!response.body) {
      finish(0)
      return response
    }
    let bytes = 0
    let done = false
    const once = () => {
      if (!done) finish(bytes)
      done = true
    }
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength
          controller.enqueue(chunk)
        },
        flush: once,
      }),
    )
    // A client that hangs up cancels the stream: its request is logged all the same.
    request.signal.addEventListener('abort', once, { once: true })
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}

/** Client-chosen text (path, payload id) cut short and stripped of anything that could forge a log line. */
function safe(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/g, '?')
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}
