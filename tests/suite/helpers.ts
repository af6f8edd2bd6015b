/** Small builders shared by the cases. */
import type { SuiteContext } from './types.ts'

export const hello = [{ role: 'user' as const, content: 'hi' }]

/**
 * A `SecureChatCompletion` on the test router with the fixture client key (the wire vectors' PEM),
 * so no case but the one about generation pays for an RSA-4096 key. No retries: each case sees the
 * router's first answer.
 */
export async function fixtureClient(ctx: SuiteContext, options: Record<string, unknown> = {}) {
  const client = new ctx.lib.SecureChatCompletion({ baseUrl: ctx.routerUrl, allowHttp: true, maxRetries: 0, ...options })
  await client.client.loadKeys(ctx.vectors.wire.client_private_key_pkcs8_pem, ctx.vectors.wire.client_public_key_spki_pem)
  return client
}

/** What the suite's router adds to every answer (see tests/runtimes/harness.ts). */
export interface RouterEcho {
  /** The decrypted request exactly as the router received it. */
  x_request: Record<string, unknown>
  x_security_tier: string | null
  x_api_key: string | null
  /** The client public key PEM from `X-Public-Key`, decoded. */
  x_client_key: string
  /** How the request body came: with a `Content-Length`, or chunked (a streamed upload in Deno). */
  x_upload: 'length' | 'chunked'
}

export const echoOf = (answer: unknown): RouterEcho => answer as RouterEcho

/** A `fetch` that records every request it passes on, to prove what was (not) sent. */
export function recordingFetch(): { fetch: typeof fetch; sent: string[] } {
  const sent: string[] = []
  const recording = (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET')
    const url = input instanceof Request ? input.url : String(input)
    sent.push(`${method.toUpperCase()} ${new URL(url).pathname}`)
    return globalThis.fetch(input, init)
  }
  return { fetch: recording as typeof fetch, sent }
}

export const bytesOf = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))
