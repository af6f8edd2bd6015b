/** What the secure fetch does with one request; loaded on its first call (see secure-fetch.ts). */
import type { SecureCompletionClient } from '../client/secure-completion-client.js'
import { completionToChunks } from '../client/stream.js'
import { randomId } from '../crypto/random.js'
import { checkApiKey } from '../client/options.js'
import { requireChatCompletion } from '../protocol/completion.js'
import type { SecurityTier } from '../protocol/constants.js'
import { abortReason, errorResponse, responseForError } from './error-response.js'
import { EVENT_STREAM_HEADERS, encodeEventStream } from './sse.js'

/** What `createSecureFetch` fixed once. */
export interface SecureFetchSettings {
  client: SecureCompletionClient
  configuredKey: string | undefined
  defaultTier: SecurityTier | undefined
}

/** The one endpoint the secure protocol carries: OpenAI's chat completions, under any base path. */
const CHAT_COMPLETIONS = /\/chat\/completions\/?$/

/** Answers one SDK request through the secure protocol, or refuses it without sending anything. */
export async function handleSecureFetch(
  { client, configuredKey, defaultTier }: SecureFetchSettings,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const request = new Request(input, init)
  const signal = request.signal
  if (signal.aborted) throw abortReason(signal)
  const { pathname } = new URL(request.url)
  if (request.method !== 'POST' || !CHAT_COMPLETIONS.test(pathname)) {
    return errorResponse(404, {
      message: `nomyo-secure: ${request.method} ${pathname} is not sent; the secure fetch only carries POST …/chat/completions`,
      type: 'not_found_error',
      code: 'ERR_NOT_FOUND',
    })
  }
  const payloadId = randomId()
  try {
    const body = parseBody(await request.text())
    // The reference client's per-call options travel in headers, never sealed into the payload;
    // a body `base_url` cannot redirect a secure fetch, which has one router.
    const { stream, stream_options: streamOptions, security_tier: bodyTier, api_key: bodyKey, base_url: _url, ...payload } = body
    const tier = request.headers.get('x-security-tier') ?? bodyTier ?? defaultTier
    const key = checkApiKey(bodyKey, 'api_key') ?? configuredKey ?? bearerToken(request.headers.get('authorization'))
    const completion = requireChatCompletion(
      await client.sendSecureRequest({ ...payload, stream: false }, payloadId, key, tier as string | undefined, { signal }),
    )
    if (stream === true) {
      const includeUsage = (streamOptions as { include_usage?: unknown } | null | undefined)?.include_usage === true
      return new Response(encodeEventStream(completionToChunks(completion, { includeUsage })), {
        status: 200,
        headers: { ...EVENT_STREAM_HEADERS, 'x-request-id': payloadId },
      })
    }
    return new Response(JSON.stringify(completion), {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': payloadId },
    })
  } catch (error) {
    return responseForError(error, signal, payloadId)
  }
}

function parseBody(text: string): Record<string, unknown> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    // No cause and no excerpt: the parser's message would quote the request.
    throw new TypeError('The chat-completion request body is not valid JSON')
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new TypeError('The chat-completion request body must be a JSON object')
  return body as Record<string, unknown>
}

function bearerToken(header: string | null): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null
  return match?.[1]
}
