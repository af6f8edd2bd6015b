/**
 * examples/cloudflare-router in workerd through miniflare, configured from the example's own
 * wrangler.jsonc (main, compatibility date and flags, vars) plus the secrets its README puts, and
 * bundled as wrangler would (conditions workerd, worker, browser). Our client and the Python client
 * round-trip through it over HTTP to a stubbed upstream on 127.0.0.1.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routerPem, routerPublicPem } from '../helpers/keys.js'
import { bundle } from '../runtimes/bundle.js'
import { rawPost, zeros } from '../security/support.js'
import { NOMYO_API_KEY, UPSTREAM_KEY, askWithOurClient, askWithPythonClient, exampleApp, startUpstream, type Upstream } from './support.js'

interface WranglerConfig {
  name: string
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
  vars?: Record<string, string>
}

let upstream: Upstream
let config: WranglerConfig
let modules: string[] = []
let url = ''
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  upstream = await startUpstream()
  const app = exampleApp('cloudflare-router')
  cleanup.push(() => upstream.close(), app.remove)
  // wrangler.jsonc is JSON with comments; TypeScript's tsconfig reader parses exactly that.
  const parsed = ts.parseConfigFileTextToJson('wrangler.jsonc', readFileSync(join(app.dir, 'wrangler.jsonc'), 'utf8'))
  if (parsed.error) throw new Error(`wrangler.jsonc does not parse: ${String(parsed.error.messageText)}`)
  config = parsed.config as WranglerConfig
  const worker = await bundle(join(app.dir, config.main), ['workerd', 'worker', 'browser'], join(app.dir, '../../node_modules'))
  modules = worker.modules
  const mf = new Miniflare({
    name: config.name,
    modules: true,
    script: worker.code,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    // The vars from the config, the upstream pointed at the stub; then the secrets (`wrangler secret put`).
    bindings: { ...config.vars, UPSTREAM_URL: `${upstream.url}/v1`, ROUTER_KEY_PEM: routerPem, NOMYO_API_KEY, UPSTREAM_KEY },
    host: '127.0.0.1',
    port: 0,
  })
  cleanup.push(() => mf.dispose())
  url = (await mf.ready).origin
}, 120_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('examples/cloudflare-router: the router as a Worker (workerd)', () => {
  it('is configured for Workers without Node compatibility, and bundles the router entry', () => {
    expect(config.vars?.UPSTREAM_URL).toMatch(/^https:\/\//)
    expect(config.compatibility_flags ?? []).not.toContain('nodejs_compat')
    expect(modules.some((id) => id.endsWith('dist/router/index.js'))).toBe(true)
  })

  it('serves the router key from the ROUTER_KEY_PEM secret, advertising key binding', async () => {
    const response = await fetch(`${url}/pki/public_key`)
    expect(await response.text()).toBe(routerPublicPem)
    expect(response.headers.get('x-nomyo-key-binding')).toBe('v1')
  })

  it('round-trips our client through the Worker to the upstream, with the upstream key', async () => {
    const completion = await askWithOurClient(url, 'hello from node', NOMYO_API_KEY)
    expect(completion.choices[0]!.message.content).toBe('echo: hello from node')
    expect(completion.model).toBe('upstream:example-model')
    expect(upstream.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', authorization: `Bearer ${UPSTREAM_KEY}` })
  })

  it('round-trips the Python client', async () => {
    const answer = await askWithPythonClient(url, 'hello from python', NOMYO_API_KEY)
    expect((answer.choices as Array<{ message: { content: string } }>)[0]!.message.content).toBe('echo: hello from python')
  })

  it('answers an upstream failure with 502 and a detail that does not quote the upstream', async () => {
    const error = await askWithOurClient(url, 'secret words', NOMYO_API_KEY, 'broken').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 502 })
    expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain('secret words')
  })

  it('refuses a client without the API key (401), and a package over the limit (413), before the upstream', async () => {
    const before = upstream.requests.length
    await expect(askWithOurClient(url, 'no key')).rejects.toMatchObject({ status: 401 })
    // The router refuses by Content-Length without reading the body, and workerd then resets the
    // connection under a client still writing: the raw POST stops after 1 MiB and waits for the answer.
    const tooLarge = await rawPost(
      `${url}/v1/chat/secure_completion`,
      {
        authorization: `Bearer ${NOMYO_API_KEY}`,
        'x-payload-id': 'p',
        'x-public-key': encodeURIComponent(routerPublicPem),
        'content-length': String(17 * 1024 * 1024),
      },
      () => zeros(17 * 1024 * 1024),
      { stallAfter: 1024 * 1024 },
    )
    expect(tooLarge.status).toBe(413)
    expect(upstream.requests.length).toBe(before)
  })
})
