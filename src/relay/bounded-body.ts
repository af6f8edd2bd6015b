/** Bodies the relay reads or passes on, counted and cut at a limit instead of filling memory. */
import { readChunks } from '../transport/http.js'

/** Thrown inside the relay when a body passes its limit; answered as 413 (request) or 502 (router). */
export class BodyTooLarge extends Error {}

/**
 * Reads a request body whole, refusing a declared or counted size over `limit`. The chunks are
 * copied into one buffer as they arrive, of the declared length (grown only without one or past
 * it): no list of chunks held to the end and no join, so a 13 MB package is held once, not twice.
 */
export async function readBounded(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > limit) throw new BodyTooLarge()
  if (!request.body) return new Uint8Array(0)
  return readChunks(
    request.body.getReader(),
    new Uint8Array(Number.isSafeInteger(declared) && declared > 0 ? declared : 0),
    limit,
    () => new BodyTooLarge(),
  )
}

/**
 * Passes a router answer through as it streams, erroring the stream past `limit` (the client then
 * sees a broken body, never an unbounded one). `onEnd` learns how many bytes went through, once,
 * whether the body ended or was cut.
 */
export function passBounded(body: ReadableStream<Uint8Array>, limit: number, onEnd: (bytes: number) => void): ReadableStream<Uint8Array> {
  let size = 0
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.length
        if (size <= limit) return controller.enqueue(chunk)
        onEnd(size)
        controller.error(new BodyTooLarge())
      },
      flush: () => onEnd(size),
    }),
  )
}
