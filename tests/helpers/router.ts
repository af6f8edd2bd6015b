/** Starts the real router handler on 127.0.0.1 for a test, with a request log the test can inspect. */
import { createSecureRouter, loadKeyPair, RouterError } from '../../src/router/index.js'
import { serve, type NodeServer } from '../../src/runtime/node-server.js'
import type { CompletionRequest, SecureRouterOptions } from '../../src/router/handler.js'
import { routerPem } from './keys.js'

export interface TestRouter extends NodeServer {
  /** Every decrypted request the completion function saw, in order. */
  requests: Array<{ body: CompletionRequest; tier: string | undefined; apiKey: string | undefined }>
  /** Every HTTP request that reached the server (method, path, status). */
  hits: Array<{ method: string; path: string; status: number }>
}

/** A completion that echoes the last user message, like the demo's local responder. */
export function echoCompletion(request: CompletionRequest) {
  const messages = request.messages as Array<{ role: string; content: string }>
  const last = messages[messages.length - 1]?.content ?? ''
  const n = typeof request.n === 'number' ? request.n : 1
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1764000000,
    model: String(request.model),
    choices: Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: 'assistant', content: `echo: ${last}` },
      finish_reason: 'stop',
    })),
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  }
}

export async function startRouter(
  options: Partial<SecureRouterOptions> & {
    pem?: string
    before?: (request: Request) => Response | undefined | Promise<Response | undefined>
  } = {},
): Promise<TestRouter> {
  const keyPair = options.keyPair ?? (await loadKeyPair(options.pem ?? routerPem))
  const requests: TestRouter['requests'] = []
  const hits: TestRouter['hits'] = []
  const handler = createSecureRouter({
    ...options,
    keyPair,
    complete: async (body, context) => {
      requests.push({ body, tier: context.securityTier, apiKey: context.apiKey })
      return options.complete ? options.complete(body, context) : echoCompletion(body)
    },
    onRequest: (event) => hits.push({ method: event.method, path: event.path, status: event.status }),
  })
  const server = await serve(async (request) => {
    const early = await options.before?.(request)
    if (early) {
      hits.push({ method: request.method, path: new URL(request.url).pathname, status: early.status })
      return early
    }
    return handler(request)
  })
  return Object.assign(server, { requests, hits })
}

export { RouterError }
