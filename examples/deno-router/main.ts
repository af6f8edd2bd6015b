/**
 * A NOMYO secure router on Deno (and Deno Deploy): `Deno.serve` takes the router handler as it is.
 *
 *   ROUTER_KEY_PEM="$(cat router_key.pem)" UPSTREAM_URL=https://api.openai.com/v1 UPSTREAM_KEY=sk-... \
 *     deno run --allow-net --allow-env main.ts
 *
 * See README.md beside this file.
 */
import { createSecureRouter, loadKeyPair } from 'nomyo-secure/router'
import { openAIUpstream } from '../shared/openai-upstream.ts'

function required(name: string): string {
  const value = Deno.env.get(name)
  if (!value) throw new Error(`Set ${name} (see README.md)`)
  return value
}

// Imported once at start; the private keys stay non-extractable in this process.
const keyPair = await loadKeyPair(required('ROUTER_KEY_PEM'), Deno.env.get('ROUTER_KEY_PASSWORD'))
// During a key rotation: the other key, still (or already) accepted but not served (docs/edge.md).
const accepted = Deno.env.get('ROUTER_ACCEPT_KEY_PEM')
const acceptKeyPairs = accepted ? [await loadKeyPair(accepted, Deno.env.get('ROUTER_KEY_PASSWORD'))] : []

const handler = createSecureRouter({
  keyPair,
  acceptKeyPairs,
  apiKey: Deno.env.get('NOMYO_API_KEY') || undefined,
  complete: openAIUpstream({ url: required('UPSTREAM_URL'), apiKey: Deno.env.get('UPSTREAM_KEY') }),
})

Deno.serve(
  {
    hostname: Deno.env.get('HOST') ?? '0.0.0.0',
    port: Number(Deno.env.get('PORT') ?? 8000),
    onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}`),
  },
  handler,
)
