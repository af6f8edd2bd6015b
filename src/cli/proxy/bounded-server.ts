/**
 * Serves a web-standard handler with the library's `serve()` (`node:http`: Node, and Deno and Bun
 * through their `node:http`), refusing request bodies over a limit with 413 before they are buffered:
 * the declared length is checked first, and a body without one is counted as it arrives.
 */
import { type NodeServer, serve } from '../../runtime/node.js'
import { openAiError } from './openai-error.js'

export function serveBounded(
  handler: (request: Request) => Promise<Response>,
  options: {
    port: number
    host: string
    maxBodyBytes: number
    /** Called with a refused request (without its body) and the 413, e.g. to log it; returns what is sent. */
    refused?: (request: Request, response: Response) => Promise<Response>
  },
): Promise<NodeServer> {
  const { maxBodyBytes } = options
  return serve(
    async (request) => {
      const body = request.body ? await readBounded(request, maxBodyBytes) : null
      const init = { method: request.method, headers: request.headers, signal: request.signal }
      if (body !== 'too large') return handler(new Request(request.url, { ...init, body: body as BodyInit | null }))
      const refusal = openAiError(413, `Request bodies are limited to ${maxBodyBytes} bytes`, 'invalid_request_error', 'payload_too_large')
      // The rest of a refused body is dropped by `serve()` as it arrives, so the client gets to read the 413.
      return options.refused ? options.refused(new Request(request.url, init), refusal) : refusal
    },
    { port: options.port, host: options.host },
  )
}

/** The body, or 'too large' as soon as it is known to exceed `max` (by its length or its bytes). */
async function readBounded(request: Request, max: number): Promise<Uint8Array | 'too large'> {
  if (Number(request.headers.get('content-length')) > max) return 'too large'
  const reader = (request.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    length += read.value.byteLength
    if (length > max) {
      await reader.cancel()
      return 'too large'
    }
    chunks.push(read.value)
  }
  return Buffer.concat(chunks)
}
