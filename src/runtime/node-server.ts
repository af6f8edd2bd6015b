/**
 * Serves a web-standard handler (such as `createSecureRouter`) with `node:http`, for Node users and
 * the dev router. Deno (`Deno.serve`) and Bun (`Bun.serve`) take the handler directly.
 */
import { createServer, type IncomingMessage } from 'node:http'

/** A running server. */
export interface NodeServer {
  /** The base URL, e.g. `http://127.0.0.1:4312`. */
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Starts an HTTP server on `host` (default `127.0.0.1`) and `port` (default: any free port).
 *
 * @example
 * ```ts
 * import { serve } from 'nomyo-secure/node'
 * import { createSecureRouter, generateKeyPair } from 'nomyo-secure/router'
 * const server = await serve(createSecureRouter({ keyPair: await generateKeyPair(), complete }), { port: 12434 })
 * console.log(server.url)
 * ```
 */
export function serve(
  handler: (request: Request) => Promise<Response>,
  options: { port?: number; host?: string } = {},
): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer(async (req, res) => {
    const controller = new AbortController()
    res.on('close', () => controller.abort())
    try {
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      // The body streams to the handler as it arrives: the handler decides how much of it to read
      // (the router refuses by header first and reads counted), so a huge upload is never buffered here.
      const body = hasBody ? bodyStream(req) : undefined
      const request = new Request(`http://${headers.get('host') ?? host}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        body: body?.stream ?? null,
        signal: controller.signal,
        duplex: 'half',
      } as RequestInit)
      const response = await handler(request)
      // A body the handler left unread is thrown away as it comes, up to a bound, so the client
      // can read the answer before the connection closes (closing at once resets it mid-upload).
      if (body && !req.complete) await body.discardRest()
      res.writeHead(response.status, [...response.headers])
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve))
        }
      }
      res.end()
    } catch {
      if (!res.writableEnded) res.destroy()
    }
  })
  return new Promise((resolve, reject) => {
    server.on('error', reject)
    server.listen(options.port ?? 0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : (options.port ?? 0)
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

/** How much of a body the handler did not want is read and dropped before the connection is cut. */
const DISCARD_BYTES = 64 * 1024 * 1024

/**
 * The request body as a web stream that pulls from Node only when the handler reads, and a way
 * to drop what the handler left: at most {@link DISCARD_BYTES}, then the socket is destroyed.
 */
function bodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discardRest(): Promise<void> } {
  const chunks = req.iterator({ destroyOnReturn: false })
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await chunks.next()
        if (done) controller.close()
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
      },
      cancel: async () => {
        await chunks.return?.()
      },
    },
    { highWaterMark: 0 },
  )
  return {
    stream,
    async discardRest() {
      await chunks.return?.()
      let left = DISCARD_BYTES
      req.on('data', (chunk) => {
        left -= chunk.length
        if (left < 0) req.socket.destroy()
      })
      req.resume()
    },
  }
}
