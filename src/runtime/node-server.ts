/**
 * Serves a web-standard handler (such as `createSecureRouter`) with `node:http`, for Node users and
 * the dev router. Deno (`Deno.serve`) and Bun (`Bun.serve`) take the handler directly.
 */
import { createServer } from 'node:http'

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
      const chunks: Uint8Array[] = []
      for await (const chunk of req) chunks.push(chunk)
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const request = new Request(`http://${headers.get('host') ?? host}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        body: hasBody ? (concat(chunks) as BodyInit) : null,
        signal: controller.signal,
      })
      const response = await handler(request)
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

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
