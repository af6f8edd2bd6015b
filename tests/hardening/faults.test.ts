/**
 * Fault injection: routers on 127.0.0.1 that misbehave at the socket level (node:http and node:net
 * directly, to do what a web `Request` handler cannot) — connections reset mid-body, bodies that
 * stall or trickle, answers of 500 MB and gzip bombs, odd content types, redirects, 5xx storms, keys
 * that change under the client, and an attacker's key. Each ends in the documented error, in
 * bounded time and memory, with nothing sent where it should not go.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { once } from 'node:events'
import { createGzip, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  InvalidRequestError,
  ProtocolError,
  SecureChatCompletion,
  SecurityError,
  ServiceUnavailableError,
} from '../../src/runtime/node.js'
import { createSecureRouter, loadKeyPair } from '../../src/router/index.js'
import { serve, type NodeServer } from '../../src/runtime/node-server.js'
import { echoCompletion } from '../helpers/router.js'
import { clientPem, otherRouterPem, routerPem, routerPublicPem } from '../helpers/keys.js'

const API_KEY = 'sk-hardening-faults-6d2e'
const MiB = 1024 * 1024

// ---------------------------------------------------------------------------------------------
// Servers under the test's control, closed after each test.

const open: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

interface Seen {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Buffer
  at: number
}
interface FaultServer {
  url: string
  port: number
  seen: Seen[]
  posts(): Seen[]
}

/**
 * A node:http server that serves the fixture router key on GET /pki/public_key and hands every
 * other request — after reading its body, as a router would — to `onRequest`.
 */
async function faultServer(
  onRequest: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void | Promise<void>,
): Promise<FaultServer> {
  const seen: Seen[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const entry = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks),
      at: performance.now(),
    }
    seen.push(entry)
    if (req.method === 'GET' && req.url === '/pki/public_key') res.writeHead(200, { 'content-type': 'text/plain' }).end(routerPublicPem)
    else await onRequest(req, res, entry)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, port, seen, posts: () => seen.filter((s) => s.method === 'POST') }
}

/** A raw TCP server: `onConnection` gets the socket after the request head has arrived. */
async function tcpServer(onConnection: (socket: Socket, head: string) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let head = ''
    socket.on('data', (data) => {
      if (head.includes('\r\n\r\n')) return
      head += data.toString('latin1')
      if (head.includes('\r\n\r\n')) onConnection(socket, head)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, connections: () => connections }
}

/** The real router handler on a given port, with its own request log. */
async function routerOn(pem: string, port = 0) {
  const hits: string[] = []
  const prompts: string[] = []
  const server = await serve(
    createSecureRouter({
      keyPair: await loadKeyPair(pem),
      complete: async (request) => {
        const messages = request.messages as Array<{ content: string }>
        prompts.push(messages.at(-1)!.content)
        return echoCompletion(request)
      },
      onRequest: (e) => void hits.push(`${e.method} ${e.status}`),
    }),
    { port },
  )
  open.push(() => server.close())
  return Object.assign(server, { hits, prompts })
}

async function clientFor(url: string, options: Record<string, unknown> = {}) {
  const client = new SecureChatCompletion({ baseUrl: url, allowHttp: true, apiKey: API_KEY, maxRetries: 0, ...options })
  await client.client.loadKeys(clientPem)
  return client
}
const ask = (client: SecureChatCompletion, content = 'hello', options = {}) =>
  client.create({ model: 'm', messages: [{ role: 'user', content }] }, options)
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

/** The peak RSS growth while `work` runs, sampled every 5 ms. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  try {
    const result = await work()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { result, growth: peak - before }
  } finally {
    clearInterval(sampler)
  }
}

/** Writes `total` bytes in 1 MiB chunks (one buffer, reused), honouring backpressure; stops when the client leaves. */
async function stream(res: ServerResponse, total: number, chunk = Buffer.alloc(MiB, 0x41)): Promise<number> {
  let sent = 0
  let closed = false
  const gone = new Promise<void>((resolve) => res.once('close', () => ((closed = true), resolve())))
  while (sent < total && !closed) {
    sent += chunk.length
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), gone])
  }
  if (!closed) res.end()
  return sent
}

// ---------------------------------------------------------------------------------------------

describe('a connection that breaks', () => {
  it.each([
    ['Content-Length, then a TCP reset', 'length', 'reset'],
    ['Content-Length, then a plain close', 'length', 'close'],
    ['chunked, then a TCP reset', 'chunked', 'reset'],
    ['chunked, then a plain close mid-chunk', 'chunked', 'close'],
  ] as const)('reset mid-body (%s) → APIConnectionError at once, not retried', async (_, framing, ending) => {
    const server = await faultServer((req, res) => {
      res.writeHead(200, framing === 'length' ? { 'content-length': '4000' } : {})
      res.write(Buffer.alloc(1000, 0x7b))
      setTimeout(() => (ending === 'reset' ? req.socket.resetAndDestroy() : req.socket.destroy()), 20)
    })
    const started = performance.now()
    const error = await failure(ask(await clientFor(server.url, { maxRetries: 2 })))
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error).not.toBeInstanceOf(APITimeoutError)
    expect((error as Error).message).toMatch(/broke while reading/)
    // Part of an answer arrived: the router may have done the work, so it is not asked again.
    expect(server.posts()).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('a connection dropped after the router read the request, before any answer, is retried with the same sealed package (README: "connection failures before any answer")', async () => {
    const server = await faultServer((req) => req.socket.destroy())
    const error = await failure(ask(await clientFor(server.url, { maxRetries: 2 })))
    expect(error).toBeInstanceOf(APIConnectionError)
    const posts = server.posts()
    expect(posts).toHaveLength(3)
    // A retry resends the identical bytes under the same payload id, so a router can recognise it.
    expect(new Set(posts.map((p) => p.headers['x-payload-id'])).size).toBe(1)
    expect(posts.every((p) => p.body.equals(posts[0]!.body))).toBe(true)
  })

  it('a server that does not speak HTTP → APIConnectionError', async () => {
    const server = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'))
    // keyBinding 'off': a shipped key is then never fetched, so only the POST's attempts connect.
    const error = await failure(ask(await clientFor(server.url, { routerPublicKey: routerPublicPem, maxRetries: 1, keyBinding: 'off' })))
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(server.connections()).toBeLessThanOrEqual(2)
  })

  it('malformed chunked encoding after a 200 → APIConnectionError', async () => {
    const server = await tcpServer((socket) =>
      socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZZ\r\n{"version"\r\n0\r\n\r\n'),
    )
    const error = await failure(ask(await clientFor(server.url, { routerPublicKey: routerPublicPem })))
    expect(error).toBeInstanceOf(APIConnectionError)
  })
})

describe('an answer that stalls or never ends', () => {
  it('a body that stalls after the headers → APITimeoutError at the configured timeout, not retried, socket released', async () => {
    let socketClosedAt = 0
    const server = await faultServer((req, res) => {
      req.socket.on('close', () => (socketClosedAt = performance.now()))
      res.writeHead(200, { 'content-length': '5000' })
      res.write(Buffer.alloc(1000, 0x7b))
    })
    const client = await clientFor(server.url, { timeout: 400, maxRetries: 2 })
    await client.client.fetchServerPublicKey()
    const started = performance.now()
    const error = await failure(ask(client))
    const elapsed = performance.now() - started
    expect(error).toBeInstanceOf(APITimeoutError)
    expect((error as Error).message).toMatch(/400 ms/)
    expect(elapsed).toBeGreaterThanOrEqual(390)
    expect(elapsed).toBeLessThan(1500)
    expect(server.posts()).toHaveLength(1)
    // The client hangs up instead of leaving the half-read connection open.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(socketClosedAt).toBeGreaterThan(0)
  })

  it('a body trickled one byte every 50 ms still times out at the deadline (the timeout covers the whole answer, not idle gaps)', async () => {
    const server = await faultServer((_, res) => {
      res.writeHead(200)
      const timer = setInterval(() => res.write('{'), 50)
      res.on('close', () => clearInterval(timer))
    })
    const client = await clientFor(server.url, { timeout: 500 })
    await client.client.fetchServerPublicKey()
    const started = performance.now()
    await expect(ask(client)).rejects.toBeInstanceOf(APITimeoutError)
    expect(performance.now() - started).toBeLessThan(1500)
  })

  it('200 with a 500 MB body → ProtocolError at the 16 MiB limit, quickly, in bounded memory', async () => {
    let sent = Promise.resolve(0)
    const server = await faultServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      sent = stream(res, 500 * MiB)
    })
    const client = await clientFor(server.url, { maxRetries: 2 })
    await client.client.fetchServerPublicKey()
    const started = performance.now()
    const { result: error, growth } = await peakRssGrowth(() => failure(ask(client)))
    const elapsed = performance.now() - started
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toMatch(/16777216-byte limit/)
    expect(elapsed).toBeLessThan(5000)
    // The client stopped reading: what the server managed to push is the limit plus socket buffers.
    expect(await sent).toBeLessThan(64 * MiB)
    // Keeping 500 MB would show here. Measured: ~60 MiB (16 MiB of chunks, socket buffers on both
    // ends — the server runs in this process too — and the fetch machinery).
    expect(growth).toBeLessThan(128 * MiB)
    expect(server.posts()).toHaveLength(1)
  })

  it('200 declaring Content-Length: 500 MB is refused before reading the body', async () => {
    let sent = Promise.resolve(0)
    const server = await faultServer((_, res) => {
      res.writeHead(200, { 'content-length': String(500 * MiB) })
      sent = stream(res, 500 * MiB)
    })
    const client = await clientFor(server.url)
    await client.client.fetchServerPublicKey()
    const started = performance.now()
    const error = await failure(ask(client))
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toMatch(/limit/)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(await sent).toBeLessThan(64 * MiB)
  })

  it('a gzip bomb (64 KiB inflating to 64 MiB) → ProtocolError after 16 MiB of inflated bytes, in bounded memory', async () => {
    const gzip = createGzip({ level: 9 })
    const parts: Buffer[] = []
    gzip.on('data', (d: Buffer) => parts.push(d))
    const zeros = Buffer.alloc(MiB)
    for (let i = 0; i < 64; i++) gzip.write(zeros)
    await new Promise((resolve) => gzip.end(resolve))
    const bomb = Buffer.concat(parts)
    expect(bomb.length).toBeLessThan(128 * 1024)
    const server = await faultServer((_, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb),
    )
    const client = await clientFor(server.url)
    await client.client.fetchServerPublicKey()
    const started = performance.now()
    const { result: error, growth } = await peakRssGrowth(() => failure(ask(client)))
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toMatch(/16777216-byte limit/)
    expect(performance.now() - started).toBeLessThan(5000)
    // Measured: ~25 MiB.
    expect(growth).toBeLessThan(128 * MiB)
  })
})

describe('content types and encodings', () => {
  /** The real router, with its answer's headers rewritten on the way out. */
  async function rewritingRouter(rewrite: (body: Uint8Array) => { body: Uint8Array; headers: Record<string, string> }) {
    const handler = createSecureRouter({ keyPair: await loadKeyPair(routerPem), complete: async (r) => echoCompletion(r) })
    const server = await serve(async (request) => {
      const response = await handler(request)
      if (request.method !== 'POST' || response.status !== 200) return response
      const { body, headers } = rewrite(new Uint8Array(await response.arrayBuffer()))
      return new Response(body as BodyInit, { status: 200, headers })
    })
    open.push(() => server.close())
    return server
  }

  // Decision: the client does not look at Content-Type. The package authenticates itself (AES-GCM
  // under a key only this client can unwrap), so a label adds nothing and a router or proxy that
  // labels it oddly must not break a valid answer.
  it.each([['text/html; charset=utf-8'], ['application/json'], ['text/plain; charset=utf-16'], ['application/x-unexpected'], ['none']])(
    'a valid package served as %s opens',
    async (type) => {
      const server = await rewritingRouter((body) => ({ body, headers: type === 'none' ? {} : { 'content-type': type } }))
      expect((await ask(await clientFor(server.url), `as ${type}`)).choices[0]!.message.content).toBe(`echo: as ${type}`)
    },
  )

  it('a valid package sent gzip-encoded opens (transfer encodings are undone by fetch)', async () => {
    const server = await rewritingRouter((body) => ({ body: gzipSync(body), headers: { 'content-encoding': 'gzip' } }))
    expect((await ask(await clientFor(server.url), 'zipped')).choices[0]!.message.content).toBe('echo: zipped')
  })

  it('Content-Encoding: gzip over bytes that are not gzip → a typed error', async () => {
    const server = await rewritingRouter((body) => ({ body, headers: { 'content-encoding': 'gzip' } }))
    const error = await failure(ask(await clientFor(server.url)))
    expect(error).toBeInstanceOf(APIConnectionError)
  })

  it.each([
    ['204 No Content', 204, ''],
    ['200 with an empty body', 200, ''],
  ])('%s → ProtocolError', async (_, status, body) => {
    const server = await faultServer((__, res) => res.writeHead(status).end(body))
    await expect(ask(await clientFor(server.url))).rejects.toBeInstanceOf(ProtocolError)
  })
})

describe('redirects', () => {
  // Policy: the client never follows a redirect (fetch `redirect: 'manual'`). A secure router
  // answers at its own URL; following would carry the Authorization header and the sealed package
  // wherever a Location points — another origin, or plain http. Any 3xx, for the completion or for
  // the key fetch, same origin or not, is an APIError carrying the status, and is not retried.
  it.each([301, 302, 303, 307, 308])(
    'a %i to another origin is an APIError; that origin receives nothing, API key included',
    async (status) => {
      const elsewhere = await faultServer((_, res) => res.writeHead(200).end('{}'))
      const router = await faultServer((_, res) => res.writeHead(status, { location: `${elsewhere.url}/v1/chat/secure_completion` }).end())
      const error = await failure(ask(await clientFor(router.url, { maxRetries: 2 })))
      expect(error).toBeInstanceOf(APIError)
      expect(error).toMatchObject({ status })
      expect(router.posts()).toHaveLength(1)
      expect(elsewhere.seen).toHaveLength(0)
      // The key went to the router it was meant for, and only with the completion, never with the key fetch.
      expect(router.posts()[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`)
      expect(router.seen.find((s) => s.method === 'GET')!.headers.authorization).toBeUndefined()
    },
  )

  it('a redirected key fetch is not followed: the origin serving another key is never asked', async () => {
    const attacker = await routerOn(otherRouterPem)
    const server = createServer((_, res) => res.writeHead(302, { location: `${attacker.url}/pki/public_key` }).end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    open.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const error = await failure(ask(await clientFor(url)))
    expect(error).toMatchObject({ status: 302 })
    expect(attacker.hits).toEqual([])
  })

  it('a same-origin redirect is not followed either', async () => {
    const router = await faultServer((req, res) => {
      if (req.url === '/v1/chat/secure_completion') res.writeHead(307, { location: '/v2/chat/secure_completion' }).end()
      else res.writeHead(500).end()
    })
    await expect(ask(await clientFor(router.url))).rejects.toMatchObject({ status: 307 })
    expect(router.posts().map((p) => p.path)).toEqual(['/v1/chat/secure_completion'])
  })
})

describe('5xx storms', () => {
  it('20 concurrent requests against a router answering 503 to everything: 1 + maxRetries attempts each, backing off 0.5 s then 1 s (minus ≤ 25 % jitter), all done in bounded time', async () => {
    const server = await faultServer((_, res) =>
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"backend down"}'),
    )
    const client = await clientFor(server.url, { maxRetries: 2 })
    await client.client.fetchServerPublicKey()
    const started = performance.now()
    const errors = await Promise.all(Array.from({ length: 20 }, (_, i) => failure(ask(client, `storm ${i}`))))
    const elapsed = performance.now() - started
    for (const error of errors) expect(error).toBeInstanceOf(ServiceUnavailableError)
    const byPayload = new Map<string, number[]>()
    for (const post of server.posts()) {
      const id = String(post.headers['x-payload-id'])
      byPayload.set(id, [...(byPayload.get(id) ?? []), post.at])
    }
    expect(byPayload.size).toBe(20)
    const gaps: number[] = []
    for (const times of byPayload.values()) {
      expect(times).toHaveLength(3)
      const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!]
      // Never sooner than the backoff allows; later only by timer and CPU lag (other suites share the cores).
      expect(first).toBeGreaterThanOrEqual(375 - 5)
      expect(first).toBeLessThan(500 + 400)
      expect(second).toBeGreaterThanOrEqual(750 - 5)
      expect(second).toBeLessThan(1000 + 400)
      gaps.push(Math.round(first))
    }
    // Jitter spreads clients that failed together.
    expect(new Set(gaps).size).toBeGreaterThan(1)
    // Two backoffs of at most 0.5 s and 1 s, plus the requests themselves.
    expect(elapsed).toBeLessThan(1500 + 1500)
  })

  it.each([408, 429, 502, 504])('a storm of %i with Retry-After: 0 stops after maxRetries', async (status) => {
    const server = await faultServer((_, res) => res.writeHead(status, { 'retry-after': '0' }).end('{"detail":"again"}'))
    const started = performance.now()
    const error = await failure(ask(await clientFor(server.url, { maxRetries: 5 })))
    expect(error).toMatchObject({ status })
    expect(server.posts()).toHaveLength(6)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('router key changes', () => {
  /** Two real router handlers behind one port; `flip` decides after each request whether the key changes. */
  async function flippingRouter(flipAfter: 'answer' | 'every-request') {
    const handlers = await Promise.all(
      [routerPem, otherRouterPem].map(async (pem) =>
        createSecureRouter({ keyPair: await loadKeyPair(pem), complete: async (r) => echoCompletion(r) }),
      ),
    )
    let current = 0
    const hits: string[] = []
    const server: NodeServer = await serve(async (request) => {
      const response = await handlers[current]!(request)
      hits.push(`${request.method} ${response.status}`)
      if (flipAfter === 'every-request' || (request.method === 'POST' && response.status === 200)) current = 1 - current
      return response
    })
    open.push(() => server.close())
    return { url: server.url, hits }
  }

  it('a router whose key flips after every answer: each request succeeds with exactly one refetch and one resend', async () => {
    const router = await flippingRouter('answer')
    const client = await clientFor(router.url)
    for (let i = 0; i < 6; i++) expect((await ask(client, `flip ${i}`)).choices[0]!.message.content).toBe(`echo: flip ${i}`)
    expect(router.hits).toEqual(['GET 200', 'POST 200', ...Array.from({ length: 5 }, () => ['POST 400', 'GET 200', 'POST 200']).flat()])
  })

  it('a router whose key flips on every request (even key fetches): InvalidRequestError after one refetch, never a loop', async () => {
    const router = await flippingRouter('every-request')
    const client = await clientFor(router.url)
    for (let i = 0; i < 4; i++) {
      const before = router.hits.length
      await expect(ask(client, `flip ${i}`)).rejects.toBeInstanceOf(InvalidRequestError)
      const mine = router.hits.slice(before)
      expect(mine.filter((h) => h.startsWith('POST'))).toHaveLength(1)
      expect(mine.filter((h) => h.startsWith('GET')).length).toBeLessThanOrEqual(2)
    }
  })
})

describe("an attacker's router key", () => {
  async function realPin() {
    const { createHash, createPublicKey } = await import('node:crypto')
    return createHash('sha256')
      .update(createPublicKey(routerPublicPem).export({ type: 'spki', format: 'der' }))
      .digest('hex')
  }

  it('with pinning, a key replaced by an attacker is refused with SecurityError and the attacker receives no POST', async () => {
    const attacker = await routerOn(otherRouterPem)
    const error = await failure(ask(await clientFor(attacker.url, { routerKeyPins: [await realPin()] }), 'secret prompt'))
    expect(error).toBeInstanceOf(SecurityError)
    expect(attacker.hits).toEqual(['GET 200'])
    expect(attacker.prompts).toEqual([])
  })

  it('without pinning, the client trusts the first key it is served (TOFU): an attacker answering the first key fetch reads the prompt', async () => {
    const attacker = await routerOn(otherRouterPem)
    const answer = await ask(await clientFor(attacker.url), 'secret prompt')
    expect(answer.choices[0]!.message.content).toBe('echo: secret prompt')
    expect(attacker.prompts).toEqual(['secret prompt'])
  })

  it('without pinning, a key swapped mid-session is followed after a 400 — the cached key is not a pin — and the attacker reads the resent prompt', async () => {
    const real = await routerOn(routerPem)
    const client = await clientFor(real.url)
    await ask(client, 'first')
    await real.close()
    const attacker = await routerOn(otherRouterPem, real.port)
    await ask(client, 'second secret')
    expect(attacker.hits).toEqual(['POST 400', 'GET 200', 'POST 200'])
    expect(attacker.prompts).toEqual(['second secret'])
  })

  it('with pinning, the same mid-session swap ends in SecurityError and the attacker only ever holds a package it cannot open', async () => {
    const real = await routerOn(routerPem)
    const client = await clientFor(real.url, { routerKeyPins: [await realPin()] })
    await ask(client, 'first')
    await real.close()
    const attacker = await routerOn(otherRouterPem, real.port)
    await expect(ask(client, 'second secret')).rejects.toBeInstanceOf(SecurityError)
    expect(attacker.hits).toEqual(['POST 400', 'GET 200'])
    expect(attacker.prompts).toEqual([])
  })
})
