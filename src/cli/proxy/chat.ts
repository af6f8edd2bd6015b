/**
 * `POST /v1/chat/completions`: the plain OpenAI request is handed to the library's secure fetch,
 * which seals it to the router, opens the answer and replies as an OpenAI server would (JSON, or
 * `chat.completion.chunk` server-sent events for `stream: true`). What the secure fetch reports as
 * a rejected fetch (the router unreachable or too slow) becomes an OpenAI-shaped 502 or 504 here.
 */
import type { SecureFetch } from '../../runtime/node.js'
import { note, recordTraffic } from '../shared/request-log.js'
import { openAiError } from './openai-error.js'

export interface ChatSettings {
  secureFetch: SecureFetch
  /** Use the local client's bearer token as the router API key (`--pass-api-key`). */
  passApiKey: boolean
  timeoutMs: number
}

/** Answers one chat-completion request through the secure protocol. */
export async function chatCompletions({ secureFetch, passApiKey, timeoutMs }: ChatSettings, request: Request): Promise<Response> {
  if (request.method !== 'POST') {
    return openAiError(405, 'Use POST for /v1/chat/completions', 'invalid_request_error', 'method_not_allowed', { allow: 'POST' })
  }
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return openAiError(
      415,
      'The request body must be JSON (Content-Type: application/json)',
      'invalid_request_error',
      'unsupported_media_type',
    )
  }
  const body = new Uint8Array(await request.arrayBuffer())
  recordTraffic({ bytesIn: body.byteLength })
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const tier = request.headers.get('x-security-tier')
  if (tier !== null) headers['x-security-tier'] = tier
  const bearer = request.headers.get('authorization')
  // The router API key comes from the proxy's own settings unless the user asked otherwise.
  if (passApiKey && bearer !== null) headers.authorization = bearer
  try {
    const response = await secureFetch(`${secureFetch.client.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body,
      signal: request.signal,
    })
    const payloadId = response.headers.get('x-request-id')
    if (payloadId) recordTraffic({ bytesIn: body.byteLength, payloadId })
    return response
  } catch (error) {
    return failure(error, timeoutMs)
  }
}

/** The secure fetch rejects as the platform fetch does: a connection failure, a timeout or an abort. */
function failure(error: unknown, timeoutMs: number): Response {
  const name = (error as { name?: unknown } | undefined)?.name
  if (name === 'TimeoutError') {
    note('router timeout')
    return openAiError(504, `The NOMYO router did not answer within ${timeoutMs / 1000} s`, 'timeout_error', 'router_timeout')
  }
  if (name === 'AbortError') {
    note('client left')
    return openAiError(499, 'The client closed the request', 'invalid_request_error', 'client_closed_request')
  }
  note('router unreachable')
  return openAiError(502, 'The NOMYO router is unreachable', 'api_connection_error', 'router_unreachable')
}
