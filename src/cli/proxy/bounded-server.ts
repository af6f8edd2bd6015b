/**
 * Serves a web-standard handler with `node:http` (Node, and Deno and Bun through their `node:http`),
 * refusing request bodies over a limit with 413 before they are buffered: the declared length is
 * checked first, and a body without one is counted as it arrives. Answers stream with backpressure.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { openAiError } from './openai-error.js'

export interface BoundedServer {
  /** The base URL, e.g. `http://127.0.0.1:12435`. */
  url: string
  port: number
  close(): Promise<void>
}

export function serveBounded(
  handler: (request: Request) => Promise<Response>,
  options: {
    port: number
    host: string
    maxBodyBytes: number
    /** Called with a refused request (without its body) and the 413, e.g. to log it; returns what is sent. */
    refused?: (request: Request, response: Response) => Promise<Response>
  },
): Promise<BoundedServer> {
  const { host, maxBodyBytes } = options
  const server = createServer(async (req, res) => {
    const controller = new AbortController()
    res.on('close', () => controller.abort())
    try {
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      const url = `http://${headers.get('host') ?? host}${req.url ?? '/'}`
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const body = hasBody ? await readBounded(req, maxBodyBytes) : null
      const init = { method: req.method ?? 'GET', headers, signal: controller.signal }
      let response: Response
      if (body === 'too large') {
        const refused = openAiError(
          413,
          `Request bodies are limited to ${maxBodyBytes} bytes`,
          'invalid_request_error',
          'payload_too_large',
        )
        response = options.refused ? await options.refused(new Request(safeUrl(url), init), refused) : refused
      } else {
        response = await handler(new Request(safeUrl(url), { ...init, body: body as BodyInit | null }))
      }
      await send(res, response)
    } catch {
      if (!res.writableEnded) res.destroy()
    }
  })
  return new Promise((resolve, reject) => {
    server.on('error', reject)
    server.listen(options.port, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : options.port
      const urlHost = host.includes(':') ? `[${host}]` : host
      resolve({
        url: `http://${urlHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections?.()
            server.close(() => done())
          }),
      })
    })
  })
}

/**
 * The body, or 'too large' as soon as it is known to exceed `max` (by its length or its bytes). The
 * rest of a refused body is read and dropped, not buffered, so the client gets to read the 413.
 */
function readBounded(req: IncomingMessage, max: number): Promise<Uint8Array | 'too large'> {
  if (Number(req.headers['content-length']) > max) {
    req.resume()
    return Promise.resolve('too large')
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let length = 0
    req.on('data', (chunk: Uint8Array) => {
      length += chunk.byteLength
      if (length > max) {
        chunks.length = 0
        resolve('too large')
      } else {
        chunks.push(chunk)
      }
    })
    req.on('error', reject)
    req.on('end', () => resolve(length > max ? 'too large' : Buffer.concat(chunks)))
  })
}

/** A Host header that does not parse (it is the client's text) still makes a request, for the guard to refuse. */
function safeUrl(url: string): string {
  try {
    return new URL(url).href
  } catch {
    return 'http://host.invalid/'
  }
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, [...response.headers] as unknown as Record<string, string>)
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve))
    }
  }
  res.end()
}
