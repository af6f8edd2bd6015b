/**
 * A NOMYO secure router as a Cloudflare Worker. The router key comes from the secret
 * `ROUTER_KEY_PEM`: a CryptoKey cannot be kept in KV or a Durable Object, so each isolate imports
 * it once, on its first request, and keeps the handler for the isolate's life. Isolates share
 * nothing else: the router is stateless, so Workers scale it out as they please.
 */
import { createSecureRouter, loadKeyPair } from 'nomyo-secure/router'
import { openAIUpstream } from '../../shared/openai-upstream.ts'

export interface Env {
  /** Secret: the router's private key, PKCS#8 or PKCS#1 PEM (optionally encrypted). */
  ROUTER_KEY_PEM: string
  /** Secret, optional: the password of an encrypted ROUTER_KEY_PEM (and ROUTER_ACCEPT_KEY_PEM). */
  ROUTER_KEY_PASSWORD?: string
  /** Secret, only during a key rotation: the other key, accepted but not served (docs/edge.md). */
  ROUTER_ACCEPT_KEY_PEM?: string
  /** Secret, optional: clients must send `Authorization: Bearer <NOMYO_API_KEY>`. */
  NOMYO_API_KEY?: string
  /** Variable: the OpenAI-compatible upstream, e.g. `https://api.openai.com/v1`. */
  UPSTREAM_URL: string
  /** Secret, optional: the upstream's bearer key. */
  UPSTREAM_KEY?: string
}

type Handler = (request: Request) => Promise<Response>
let handler: Promise<Handler> | undefined

async function createHandler(env: Env): Promise<Handler> {
  const accepted = env.ROUTER_ACCEPT_KEY_PEM
  return createSecureRouter({
    keyPair: await loadKeyPair(env.ROUTER_KEY_PEM, env.ROUTER_KEY_PASSWORD),
    acceptKeyPairs: accepted ? [await loadKeyPair(accepted, env.ROUTER_KEY_PASSWORD)] : [],
    apiKey: env.NOMYO_API_KEY || undefined,
    complete: openAIUpstream({ url: env.UPSTREAM_URL, apiKey: env.UPSTREAM_KEY }),
  })
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // One import per isolate; a failed import (a bad secret) is retried by the next request.
    handler ??= createHandler(env).catch((error: unknown) => {
      handler = undefined
      throw error
    })
    return (await handler)(request)
  },
}
