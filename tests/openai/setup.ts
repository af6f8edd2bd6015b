/** Shared set-up of the OpenAI-ecosystem tests: a router on 127.0.0.1 and a secure fetch aimed at it. */
import { createSecureFetch, type SecureFetch, type SecureFetchOptions } from '../../src/index.js'
import type { SecureRouterOptions } from '../../src/router/handler.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'

export const SECURE_PATH = '/v1/chat/secure_completion'

export interface WireRouter extends TestRouter {
  /** The raw bytes of every POST body that reached the server, as sent on the wire. */
  wire: Uint8Array[]
  /** How many secure-completion POSTs arrived (including ones answered by `reject`). */
  posts: number
}

/**
 * Starts the router with a capture of the raw request bodies. `reject(n)` may answer the n-th
 * secure-completion POST (from 1) itself, the way a real router answers errors: `{ detail }` JSON.
 */
export async function startWireRouter(
  options: Partial<SecureRouterOptions> & { reject?: (post: number) => Response | undefined } = {},
): Promise<WireRouter> {
  const wire: Uint8Array[] = []
  const state = { posts: 0 }
  const router = await startRouter({
    ...options,
    before: async (request) => {
      if (request.method !== 'POST') return undefined
      wire.push(new Uint8Array(await request.clone().arrayBuffer()))
      if (new URL(request.url).pathname === SECURE_PATH) state.posts++
      return options.reject?.(state.posts)
    },
  })
  // A getter, not a copy: the count grows after start.
  return Object.defineProperties(Object.assign(router, { wire }), { posts: { get: () => state.posts } }) as WireRouter
}

/** A router-style error answer. */
export function detail(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ detail: text }), { status, headers: { 'content-type': 'application/json', ...headers } })
}

/** A secure fetch to `router` with the fixture client key (generating a 4096-bit key per test is slow). */
export async function secureFetchFor(router: { url: string }, options: SecureFetchOptions = {}): Promise<SecureFetch> {
  const secureFetch = createSecureFetch({ baseUrl: router.url, allowHttp: true, ...options })
  await secureFetch.client.loadKeys(clientPem)
  return secureFetch
}

/** A completion that calls the `get_weather` tool, as a model does. */
export function toolCallCompletion(request: Record<string, unknown>) {
  return {
    id: 'chatcmpl-tool',
    object: 'chat.completion',
    created: 1764000000,
    model: String(request.model),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  }
}

export const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

/** Whether `needle` occurs in `haystack`, as bytes. */
export function containsBytes(haystack: Uint8Array, needle: string): boolean {
  const bytes = new TextEncoder().encode(needle)
  outer: for (let i = 0; i + bytes.length <= haystack.length; i++) {
    for (let j = 0; j < bytes.length; j++) if (haystack[i + j] !== bytes[j]) continue outer
    return true
  }
  return false
}
