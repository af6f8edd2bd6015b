// Vercel Edge Functions serving the server side: the router handler (nomyo-secure/router) and,
// in front of it, the relay a single-page app calls (nomyo-secure/relay). Both run in the
// `edge-runtime` VM; tests/runtimes/edge-light.test.ts gives them `process.env` as Vercel does.
import { createRelay } from 'nomyo-secure/relay'
import { createSecureRouter, loadKeyPair } from 'nomyo-secure/router'

declare function addEventListener(
  type: 'fetch',
  listener: (event: { request: Request; respondWith(response: Promise<Response>) }) => void,
): void
declare const process: { env: Record<string, string | undefined> }

const env = process.env
let handler: Promise<(request: Request) => Promise<Response>> | undefined

async function createHandler(): Promise<(request: Request) => Promise<Response>> {
  if (env.ROLE === 'relay') {
    return createRelay({ routerUrl: env.ROUTER_URL!, apiKey: env.NOMYO_API_KEY, allowHttp: true })
  }
  return createSecureRouter({
    keyPair: await loadKeyPair(env.ROUTER_KEY_PEM!),
    apiKey: env.NOMYO_API_KEY,
    complete: async (request) => ({
      id: 'edge',
      object: 'chat.completion',
      created: 0,
      model: String(request.model),
      choices: [{ index: 0, message: { role: 'assistant', content: `edge: ${JSON.stringify(request.messages)}` }, finish_reason: 'stop' }],
    }),
  })
}

addEventListener('fetch', (event) => {
  handler ??= createHandler()
  event.respondWith(handler.then((handle) => handle(event.request)))
})
