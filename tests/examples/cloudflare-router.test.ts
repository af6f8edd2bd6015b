/**
 * examples/cloudflare-router in workerd through miniflare, configured from the example's own
 * wrangler.jsonc (main, compatibility date and flags, vars) plus the secrets its README puts, and
 * bundled as wrangler would (conditions workerd, worker, browser). Our client and the Python client
 * round-trip through it over HTTP to a stubbed upstream on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routerPublicPem } from '../helpers/keys.js'
import { rawPost, zeros } from '../security/support.js'
import { itRoundTrips, startWorkerRouter, type WranglerConfig } from './example-routers.js'
import { NOMYO_API_KEY, askWithOurClient, startUpstream, type Upstream } from './support.js'

let upstream: Upstream
let config: WranglerConfig
let modules: string[] = []
let url = ''
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  upstream = await startUpstream()
  cleanup.push(() => upstream.close())
  const worker = await startWorkerRouter(upstream)
  cleanup.push(worker.stop)
  url = worker.url
  config = worker.config
  modules = worker.modules
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

  itRoundTrips(() => ({ url, upstream }), 'the Worker')

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
