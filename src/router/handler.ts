/**
 * The server side of the protocol as a web-standard handler `(Request) => Promise<Response>`: it
 * serves the router public key, opens sealed requests, hands the plaintext request to a completion
 * function and seals the answer to the client key from `X-Public-Key`. Runs wherever `Request` and
 * `crypto.subtle` exist (Node's http adapter in the demo, Deno.serve, Bun.serve, Workers).
 */
import { open, seal } from '../crypto/hybrid.js'
import { exportPublicKeyPem } from '../crypto/rsa.js'
import { encodePackage, packageCapacity, parsePackage } from '../protocol/package.js'
import { encodeJsonWithRoom } from '#platform/json-utf8'
import { decodeUtf8 } from '../crypto/utf8.js'
import { releaseBuffer } from '../crypto/release.js'
import * as P from '../protocol/constants.js'
import { NomyoError, RouterError } from '../errors.js'
import { KEY_BINDING_FIELD, KEY_BINDING_HEADER, KEY_BINDING_VERSION, keyBindingAad } from '../protocol/key-binding.js'
import { apiKeyChecker } from './api-key.js'
import { importClientKey, type ClientKey } from './client-key.js'
import { BodyTooLarge, readBounded } from '../relay/bounded-body.js'
import type { Logger } from '../transport/logger.js'

/** The decrypted request as the completion function receives it. */
export type CompletionRequest = Record<string, unknown> & { model?: unknown; messages?: unknown }

/** What the completion function learns besides the request. */
export interface CompletionContext {
  payloadId: string
  securityTier: P.SecurityTier | undefined
  /** The bearer token the client sent, if any (already checked when `apiKey` is set). */
  apiKey: string | undefined
  signal: AbortSignal
}

export interface SecureRouterOptions {
  /** The router's RSA-OAEP key pair; the private key needs the `unwrapKey` usage. */
  keyPair: CryptoKeyPair
  /**
   * Further key pairs whose packages are opened too, while a key rotation rolls across instances
   * (docs/edge.md): only `keyPair` is served on `/pki/public_key`.
   */
  acceptKeyPairs?: CryptoKeyPair[]
  /** Produces the chat completion for a decrypted request. Throw {@link RouterError} for protocol errors. */
  complete(request: CompletionRequest, context: CompletionContext): Promise<unknown>
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (compared in constant time, before the body is read). */
  apiKey?: string
  /**
   * The largest request body read, in bytes (default 16 MiB, room for a 10 MiB plaintext sealed):
   * a larger `Content-Length` is refused with 413 unread, and a body without one is cut there.
   */
  maxBodyBytes?: number
  /**
   * Advertise and accept key binding (SECURITY.md): requests sealed with additional data naming
   * their payload id and client key, answers sealed the same way. Default true; unbound packages
   * (the reference client's) are accepted either way.
   */
  keyBinding?: boolean
  /** Receives failures the router answers with 500 (never their content); nothing is logged without it. */
  logger?: Logger
  /** Allowed browser origins (`'*'` for any); CORS is off when unset. */
  corsOrigin?: string
  /** Called once per request with facts that contain no plaintext (for logs). */
  onRequest?(event: RequestEvent): void
}

/** What a router or relay reports once per request: no body, no header value but the payload id. */
export interface RequestEvent {
  method: string
  path: string
  status: number
  payloadId?: string
  bytesIn?: number
  bytesOut?: number
  ms: number
}

const JSON_HEADERS = { 'Content-Type': 'application/json' }

/**
 * Creates the router handler.
 *
 * @example
 * ```ts
 * import { createSecureRouter, generateKeyPair } from 'nomyo-secure/router'
 * const handler = createSecureRouter({
 *   keyPair: await generateKeyPair(),
 *   complete: async (request) => ({ id: 'x', object: 'chat.completion', created: 0, model: String(request.model), choices: [] }),
 * })
 * Deno.serve(handler)
 * ```
 */
export function createSecureRouter(options: SecureRouterOptions): (request: Request) => Promise<Response> {
  const publicPem = exportPublicKeyPem(options.keyPair.publicKey)
  const openingKeys = [options.keyPair, ...(options.acceptKeyPairs ?? [])].map((pair) => pair.privateKey)
  const cors: Record<string, string> = options.corsOrigin
    ? {
        'Access-Control-Allow-Origin': options.corsOrigin,
        'Access-Control-Allow-Headers': `Content-Type, Authorization, ${P.HEADER_PAYLOAD_ID}, ${P.HEADER_PUBLIC_KEY}, ${P.HEADER_SECURITY_TIER}`,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Max-Age': '600',
        'Access-Control-Expose-Headers': KEY_BINDING_HEADER,
        Vary: 'Origin',
      }
    : {}

  const reply = (status: number, body: BodyInit | null, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { ...cors, ...headers } })
  const fail = (status: number, detail: string, headers: Record<string, string> = {}) =>
    reply(status, JSON.stringify({ detail }), { ...JSON_HEADERS, ...headers })

  const checkApiKey = options.apiKey === undefined ? undefined : apiKeyChecker(options.apiKey)
  const maxBodyBytes = options.maxBodyBytes ?? P.MAX_RESPONSE_BYTES
  const keyBinding = options.keyBinding !== false

  // Order matters: the API key, the tier and the declared size are refused before a byte of the
  // body is read, the body is read counted, and the client key is checked before the body is
  // opened, so no completion runs for an answer that could not be sealed.
  async function secureCompletion(request: Request, facts: { payloadId?: string; bytesIn?: number; bytesOut?: number }): Promise<Response> {
    if (checkApiKey && !(await checkApiKey(request.headers.get('authorization')))) {
      return fail(401, 'Invalid or missing API key')
    }
    const payloadId = request.headers.get(P.HEADER_PAYLOAD_ID) ?? ''
    facts.payloadId = payloadId
    const tierHeader = request.headers.get(P.HEADER_SECURITY_TIER) ?? undefined
    if (tierHeader !== undefined && !(P.SECURITY_TIERS as readonly string[]).includes(tierHeader)) {
      return fail(400, `Invalid security tier; expected one of ${P.SECURITY_TIERS.join(', ')}`)
    }
    if (Number(request.headers.get('content-length')) > maxBodyBytes) return fail(413, 'Request package too large')
    let body: Uint8Array
    try {
      body = await readBounded(request, maxBodyBytes)
    } catch (error) {
      return error instanceof BodyTooLarge ? fail(413, 'Request package too large') : fail(400, 'The request body could not be read')
    }
    facts.bytesIn = body.length
    // Checked after the (bounded) read, not before: a runtime that answers while the body is still
    // arriving resets the connection (workerd does), and the client would never see this 400.
    let clientKey: ClientKey
    try {
      clientKey = await importClientKey(request.headers.get(P.HEADER_PUBLIC_KEY))
    } catch (error) {
      return fail(400, error instanceof RouterError ? error.message : 'Invalid X-Public-Key header')
    }
    let plaintext: Uint8Array
    let bound: boolean
    try {
      // The body is this handler's own: the ciphertext is decoded over it (see parsePackage).
      const { parts, extra } = parsePackage(body, { inPlace: true })
      const marker = extra[KEY_BINDING_FIELD]
      bound = marker !== undefined
      if (bound && (!keyBinding || marker !== KEY_BINDING_VERSION)) return fail(400, `Unsupported ${KEY_BINDING_FIELD}`)
      if (bound && !payloadId) return fail(400, `A package with ${KEY_BINDING_FIELD} needs ${P.HEADER_PAYLOAD_ID}`)
      // Bound: the request opens only with the payload id and client key that came with it, so a
      // swapped X-Public-Key or X-Payload-ID fails here, before the completion runs.
      plaintext = await openWithAny(parts, openingKeys, bound ? keyBindingAad('request', clientKey.spkiSha256, payloadId) : undefined)
    } catch (error) {
      // 400 is the client's signal that its cached router key may be stale.
      return fail(400, error instanceof NomyoError ? error.message : 'Invalid package')
    }
    if (plaintext.length > P.MAX_PLAINTEXT_BYTES) {
      plaintext.fill(0)
      return fail(413, 'Request payload exceeds 10 MiB')
    }
    let completionRequest: CompletionRequest
    try {
      // Strict UTF-8 without the strict decoder's transient copy where that is slow (crypto/utf8.ts).
      completionRequest = JSON.parse(decodeUtf8(plaintext)) as CompletionRequest
      if (!completionRequest || typeof completionRequest !== 'object' || Array.isArray(completionRequest)) throw new Error()
    } catch {
      return fail(400, 'The decrypted request is not a JSON object')
    } finally {
      plaintext.fill(0)
      releaseBuffer(plaintext)
    }
    let answer: unknown
    try {
      answer = await options.complete(completionRequest, {
        payloadId,
        securityTier: tierHeader as P.SecurityTier | undefined,
        apiKey: request.headers.get('authorization')?.replace(/^Bearer /, ''),
        signal: request.signal,
      })
    } catch (error) {
      if (error instanceof RouterError) return fail(error.status, error.message, error.headers)
      return fail(500, 'Internal error while producing the completion')
    }
    let answerBytes: Uint8Array | undefined
    try {
      // The package is written over the answer's UTF-8 when it fits (WebCrypto copied it, Node's
      // cipher sealed over it): one buffer, and no plaintext left behind, so nothing to zero then.
      answerBytes = encodeJsonWithRoom(answer, packageCapacity)
      const aad = bound ? keyBindingAad('response', clientKey.spkiSha256, payloadId) : undefined
      const parts = await seal(answerBytes, clientKey.key, aad, { consume: true })
      // processed_at travels outside the seal, as in the reference format: it is not authenticated.
      const extra: Record<string, unknown> = { processed_at: Date.now() / 1000 }
      if (bound) extra[KEY_BINDING_FIELD] = KEY_BINDING_VERSION
      const sealed = encodePackage(parts, extra, new Uint8Array(answerBytes.buffer))
      // WebCrypto's ciphertext is dead once its base64 is written (Node's lives in `sealed`'s buffer).
      if (parts.ciphertext.buffer !== sealed.buffer) releaseBuffer(parts.ciphertext)
      if (sealed.buffer === answerBytes.buffer) answerBytes = undefined
      facts.bytesOut = sealed.length
      // A declared length lets the client read the answer into one buffer of the right size.
      return reply(200, sealed as BodyInit, { ...JSON_HEADERS, 'Content-Length': String(sealed.length) })
    } catch (error) {
      // The answer exists only in the completion's object now; the log names the step, not the content.
      options.logger?.warn?.(
        `nomyo-secure router: sealing the answer failed (${error instanceof Error ? error.name : 'unknown error'}); answered 500`,
      )
      return fail(500, 'Internal error while sealing the answer')
    } finally {
      answerBytes?.fill(0)
    }
  }

  return async function handle(request: Request): Promise<Response> {
    const started = Date.now()
    const path = new URL(request.url).pathname.replace(/\/+$/, '')
    const facts: { payloadId?: string; bytesIn?: number; bytesOut?: number } = {}
    let response: Response
    if (request.method === 'OPTIONS' && options.corsOrigin) response = reply(204, null)
    else if (path === P.PUBLIC_KEY_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
      response = reply(200, request.method === 'HEAD' ? null : await publicPem, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...(keyBinding && { [KEY_BINDING_HEADER]: KEY_BINDING_VERSION }),
      })
    } else if (path === P.SECURE_COMPLETION_PATH) {
      response = request.method === 'POST' ? await secureCompletion(request, facts) : fail(405, 'Use POST', { Allow: 'POST' })
    } else response = fail(404, 'Not found')
    options.onRequest?.({ method: request.method, path, status: response.status, ...facts, ms: Date.now() - started })
    return response
  }
}

/** Opens with the served key first, then with each key still accepted during a rotation. */
async function openWithAny(parts: Parameters<typeof open>[0], keys: CryptoKey[], additionalData?: Uint8Array): Promise<Uint8Array> {
  for (const key of keys.slice(0, -1)) {
    try {
      return await open(parts, key, additionalData)
    } catch {
      // Sealed to another of the keys: try the next.
    }
  }
  // The last try may decrypt over the ciphertext or free it as soon as WebCrypto has its copy.
  return open(parts, keys[keys.length - 1]!, additionalData, { consume: true })
}
