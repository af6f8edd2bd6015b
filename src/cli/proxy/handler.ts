/** The proxy's routes, behind its guard: chat completions, the model list and the health check. */
import type { SecureFetch } from '../../runtime/node.js'
import { chatCompletions } from './chat.js'
import { createGuard } from './guard.js'
import { openAiError } from './openai-error.js'
import { health, listModels } from './router-info.js'

export interface ProxyHandlerSettings {
  secureFetch: SecureFetch
  host: string
  apiKey: string | undefined
  passApiKey: boolean
  localToken: string | undefined
  corsOrigin: string | undefined
  pins: string[]
  timeoutMs: number
}

export interface ProxyHandler {
  /** Answers a request. */
  handle(request: Request): Promise<Response>
  /** Answers a request whose body was refused (413) by the server: the guard still comes first. */
  refuse(request: Request, refusal: Response): Response
}

/** The proxy as web-standard handlers. */
export function createProxyHandler(settings: ProxyHandlerSettings): ProxyHandler {
  const guard = createGuard(settings)
  const chat = { secureFetch: settings.secureFetch, passApiKey: settings.passApiKey, timeoutMs: settings.timeoutMs }
  const info = {
    routerUrl: settings.secureFetch.client.routerUrl,
    apiKey: (request: Request) => (settings.passApiKey ? bearer(request) : settings.apiKey),
    pins: settings.pins,
    timeoutMs: Math.min(settings.timeoutMs, 10_000),
  }

  const route = async (request: Request): Promise<Response> => {
    const refused = guard.check(request)
    if (refused) return refused
    const path = new URL(request.url).pathname.replace(/\/+$/, '')
    if (path === '/v1/chat/completions' || path === '/chat/completions') return chatCompletions(chat, request)
    if (request.method !== 'GET') {
      return openAiError(405, `${request.method} is not served here`, 'invalid_request_error', 'method_not_allowed')
    }
    if (path === '/v1/models' || path === '/models') return listModels(info, request)
    if (path === '/healthz') return health(info)
    return openAiError(
      404,
      'Not found: this proxy serves POST /v1/chat/completions, GET /v1/models and GET /healthz',
      'not_found_error',
      'unknown_url',
    )
  }
  return {
    handle: async (request) => guard.finish(request, await route(request)),
    refuse: (request, refusal) => guard.finish(request, guard.check(request) ?? refusal),
  }
}

function bearer(request: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization')?.trim() ?? '')
  return match?.[1]
}
