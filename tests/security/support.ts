/**
 * What the attacker suite shares: raw HTTP to a router on 127.0.0.1 (bodies streamed, sizes and
 * headers as an attacker picks them), RSA public keys no honest client would send, and a `fetch`
 * that plays the middle box.
 */
import { request as httpRequest } from 'node:http'
import { randomBytes } from 'node:crypto'
import { derInteger, derNull, derOid, derSequence, derTlv } from '../../src/crypto/asn1.js'
import { encodePem } from '../../src/crypto/pem.js'

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** Bytes of the request body written before the answer came (or the server closed). */
  sent: number
}

/**
 * POSTs `body` (bytes, or chunks produced on demand) with exactly `headers`: no Content-Length
 * unless given, so a generator body goes chunked. Resolves with the answer even when the server
 * closes the connection while the body is still being written, as a refusing router does.
 * `stallAfter`: stop writing after that many bytes and wait: only a server that answers without
 * the rest of the body answers at all (and no reset can overtake its answer).
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array | (() => Iterable<Uint8Array>) = new Uint8Array(0),
  options: { timeoutMs?: number; stallAfter?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sent = 0
    let settled = false
    // Once the answer starts, the rest of the body is not sent: a refusing router stopped reading.
    let answered = false
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true
        clearTimeout(timer)
        fn()
      }
    }
    const req = httpRequest(url, { method: 'POST', headers })
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`no answer within ${options.timeoutMs ?? 20_000} ms (${sent} bytes sent)`)))
      req.destroy()
    }, options.timeoutMs ?? 20_000)
    req.on('response', (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      const done = () => {
        settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, sent }))
        req.destroy()
      }
      res.on('end', done)
      res.on('error', done)
      res.on('close', done)
    })
    req.on('error', (error) => settle(() => reject(error)))
    if (body instanceof Uint8Array) {
      req.end(body)
      sent = body.length
      return
    }
    const chunks = body()[Symbol.iterator]()
    const pump = () => {
      while (!answered && !settled && !req.destroyed && sent < (options.stallAfter ?? Number.POSITIVE_INFINITY)) {
        const next = chunks.next()
        if (next.done) return void req.end()
        sent += next.value.length
        if (!req.write(next.value)) return void req.once('drain', pump)
      }
    }
    pump()
  })
}

/** `total` bytes of `filler` in 1 MiB chunks, made as they are sent (nothing of that size is allocated). */
export function* zeros(total: number, chunkBytes = 1 << 20): Generator<Uint8Array> {
  const chunk = new Uint8Array(chunkBytes).fill(0x41)
  for (let left = total; left > 0; left -= chunkBytes) yield left >= chunkBytes ? chunk : chunk.subarray(0, left)
}

/**
 * An RSA SubjectPublicKeyInfo PEM with the given modulus size and exponent, percent-encoded as in
 * `X-Public-Key`. The modulus is random with its top bit set, odd unless `evenModulus`.
 */
export function rsaKeyHeader(options: { bits: number; exponent: number; evenModulus?: boolean }): string {
  const modulus = randomBytes(Math.ceil(options.bits / 8))
  const topBits = options.bits % 8 || 8
  modulus[0] = (modulus[0]! & ((1 << topBits) - 1)) | (1 << (topBits - 1))
  modulus[modulus.length - 1] = options.evenModulus ? modulus[modulus.length - 1]! & 0xfe : modulus[modulus.length - 1]! | 1
  const rsaPublicKey = derSequence(derInteger(modulus), derInteger(options.exponent))
  const spki = derSequence(derSequence(derOid('1.2.840.113549.1.1.1'), derNull()), derTlv(0x03, new Uint8Array([0]), rsaPublicKey))
  return encodeURIComponent(encodePem(spki, 'PUBLIC KEY'))
}

/** What a middle box does with one exchange: look, change, answer itself, or pass it on with `forward`. */
export type MiddleBoxHandler = (request: Request, forward: (request: Request) => Promise<Response>) => Promise<Response>

/**
 * A `fetch` that plays a TLS-terminating middle box between the client and the router: every
 * request and answer passes through `handler` as a web `Request`/`Response` it may read or rewrite.
 */
export function middleBox(handler: MiddleBoxHandler): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) =>
    handler(new Request(input, init), (request) => fetch(request))) as typeof fetch
}

/** A copy of `request` with some headers replaced (or removed with `null`) and optionally a new body. */
export async function rewrite(request: Request, headers: Record<string, string | null>, body?: Uint8Array): Promise<Request> {
  const copy = new Headers(request.headers)
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) copy.delete(name)
    else copy.set(name, value)
  }
  const bytes = body ?? (request.method === 'POST' ? new Uint8Array(await request.arrayBuffer()) : undefined)
  return new Request(request.url, { method: request.method, headers: copy, body: bytes as BodyInit | undefined })
}

/** A package's JSON with `change` applied to its top-level fields. */
export function editPackage(bytes: Uint8Array, change: (pkg: Record<string, unknown>) => void): Uint8Array {
  const pkg = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>
  change(pkg)
  return new TextEncoder().encode(JSON.stringify(pkg))
}
