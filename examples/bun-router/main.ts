/**
 * A NOMYO secure router on Bun: `Bun.serve` takes the router handler as its `fetch`.
 *
 *   ROUTER_KEY_PEM="$(cat router_key.pem)" UPSTREAM_URL=https://api.openai.com/v1 UPSTREAM_KEY=sk-... bun main.ts
 *
 * See README.md beside this file.
 */
import { createSecureRouter, loadKeyPair } from 'nomyo-secure/router'
import { openAIUpstream } from '../shared/openai-upstream.ts'

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`Set ${name} (see README.md)`)
  return value
}

// Imported once at start; the private keys stay non-extractable in this process.
const keyPair = await loadKeyPair(required('ROUTER_KEY_PEM'), process.env.ROUTER_KEY_PASSWORD)
// During a key rotation: the other key, still (or already) accepted but not served (docs/edge.md).
const accepted = process.env.ROUTER_ACCEPT_KEY_PEM
const acceptKeyPairs = accepted ? [await loadKeyPair(accepted, process.env.ROUTER_KEY_PASSWORD)] : []

const server = Bun.serve({
  hostname: process.env.HOST ?? '0.0.0.0',
  port: Number(process.env.PORT ?? 8000),
  // Above the router's own 16 MiB package limit, so the router answers 413 itself.
  maxRequestBodySize: 32 * 1024 * 1024,
  fetch: createSecureRouter({
    keyPair,
    acceptKeyPairs,
    apiKey: process.env.NOMYO_API_KEY || undefined,
    complete: openAIUpstream({ url: required('UPSTREAM_URL'), apiKey: process.env.UPSTREAM_KEY }),
  }),
})
console.log(`Listening on ${server.url.href.replace(/\/$/, '')}`)
