/**
 * The proxy's plain (unsealed) questions to the router: its model list for `GET /v1/models`, and
 * its public key for `GET /healthz`. Neither carries a prompt; both are bounded in time.
 */
import { note } from '../shared/request-log.js'
import { openAiError } from './openai-error.js'

export interface RouterInfoSettings {
  routerUrl: string
  /** The router API key to send, if any. */
  apiKey(request: Request): string | undefined
  /** Pinned router key fingerprints (empty: none). */
  pins: string[]
  timeoutMs: number
}

/** The router's model list where it has one; else a 404 in OpenAI's shape. */
export async function listModels(settings: RouterInfoSettings, request: Request): Promise<Response> {
  const key = settings.apiKey(request)
  let answer: Response
  try {
    answer = await fetch(`${settings.routerUrl}/v1/models`, {
      headers: { accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(settings.timeoutMs)]),
    })
  } catch {
    note('router unreachable')
    return openAiError(502, 'The NOMYO router is unreachable', 'api_connection_error', 'router_unreachable')
  }
  const text = await answer.text().catch(() => '')
  if (answer.status === 401 || answer.status === 403 || answer.status === 429 || answer.status >= 500) {
    const type = answer.status === 429 ? 'rate_limit_error' : answer.status >= 500 ? 'server_error' : 'authentication_error'
    const retryAfter = answer.headers.get('retry-after')
    return openAiError(answer.status, `The NOMYO router answered HTTP ${answer.status} for its model list`, type, 'router_error', {
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
    })
  }
  const list = answer.ok ? parseList(text) : undefined
  if (!list) {
    return openAiError(
      404,
      'This NOMYO router publishes no model list (GET /v1/models); use the model ids it documents',
      'not_found_error',
      'models_not_available',
    )
  }
  return Response.json(list)
}

function parseList(text: string): { object: 'list'; data: unknown[] } | undefined {
  try {
    const value = JSON.parse(text) as { data?: unknown }
    return Array.isArray(value?.data) ? { object: 'list', data: value.data } : undefined
  } catch {
    return undefined
  }
}

/** Whether the proxy is up, the router reachable, the fingerprint of the key it serves and whether it offers key binding. */
export async function health(settings: RouterInfoSettings): Promise<Response> {
  let fingerprint: string
  let keyBinding: boolean
  try {
    const answer = await fetch(`${settings.routerUrl}/pki/public_key`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    })
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`)
    fingerprint = await pemFingerprint(await answer.text())
    // The router's advertisement of key binding (SECURITY.md), the header the client reads too.
    keyBinding = answer.headers.get('x-nomyo-key-binding') !== null
  } catch (error) {
    note('router unreachable')
    const reason = error instanceof Error && /^HTTP \d+$/.test(error.message) ? error.message : 'no answer'
    return Response.json({ status: 'degraded', proxy: 'up', router: { reachable: false, reason } }, { status: 503 })
  }
  const pinned = settings.pins.length === 0 ? null : settings.pins.includes(fingerprint)
  return Response.json(
    { status: pinned === false ? 'degraded' : 'ok', proxy: 'up', router: { reachable: true, fingerprint, pinned, keyBinding } },
    {
      status: pinned === false ? 503 : 200,
    },
  )
}

/** SHA-256 of the DER inside a public key PEM, lowercase hex (the library's pin format). */
export async function pemFingerprint(pem: string): Promise<string> {
  const match = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem)
  if (!match) throw new Error('not a public key PEM')
  const der = Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64')
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
