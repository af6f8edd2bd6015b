/**
 * Vercel Edge for real: runners bundled as Vercel bundles an Edge Function (export conditions
 * edge-light, worker, browser), so `nomyo-secure` resolves through "edge-light", and run in the VM
 * of the `edge-runtime` package (Vercel's own Edge Runtime for local runs and tests): the shared
 * suite (client), and the router and relay serving our client over HTTP.
 */
import { join } from 'node:path'
import { EdgeRuntime, runServer } from 'edge-runtime'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecureChatCompletion } from '../../src/runtime/node.js'
import type { CaseResult } from '../suite/index.js'
import { clientPem, routerPem, routerPublicPem } from '../helpers/keys.js'
import { bundle } from './bundle.js'
import { REPO_ROOT, caseNames, itEachCase, makeApp, readVectors, routerFingerprint, startSuiteRouter } from './harness.js'

const EDGE_CONDITIONS = ['edge-light', 'worker', 'browser']
const vectors = await readVectors()
let suiteModules: string[] = []
let report: { edgeRuntime: string | null; exports: string[]; results: CaseResult[] } | undefined
const urls = { router: '', relay: '' }
const cleanup: Array<() => unknown> = []

/** An Edge Function from bundled code, served on 127.0.0.1 with `process.env` as Vercel provides it. */
async function serveEdge(code: string, env: Record<string, string> = {}): Promise<string> {
  const runtime = new EdgeRuntime({ initialCode: code, extend: (context) => Object.assign(context, { process: { env } }) })
  const server = await runServer({ runtime, host: '127.0.0.1', port: 0 })
  cleanup.push(() => server.close())
  return server.url.replace(/\/$/, '')
}

beforeAll(async () => {
  const router = await startSuiteRouter()
  const app = makeApp('edge-light')
  cleanup.push(() => router.close(), app.remove)
  const nodeModules = join(app.dir, 'node_modules')
  const suite = await bundle(join(REPO_ROOT, 'tests/runtimes/edge-light/suite.ts'), EDGE_CONDITIONS, nodeModules)
  suiteModules = suite.modules
  const response = await fetch(await serveEdge(suite.code), {
    method: 'POST',
    body: JSON.stringify({ routerUrl: router.url, routerFingerprint, vectors }),
  })
  if (!response.ok) throw new Error(`the edge function answered ${response.status}: ${await response.text()}`)
  report = (await response.json()) as typeof report

  const server = await bundle(join(REPO_ROOT, 'tests/runtimes/edge-light/router.ts'), EDGE_CONDITIONS, nodeModules)
  urls.router = await serveEdge(server.code, { ROLE: 'router', ROUTER_KEY_PEM: routerPem, NOMYO_API_KEY: 'sk-edge' })
  urls.relay = await serveEdge(server.code, { ROLE: 'relay', ROUTER_URL: urls.router, NOMYO_API_KEY: 'sk-edge' })
}, 120_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('edge-light: nomyo-secure in a Vercel Edge Function (edge-runtime VM)', () => {
  it('resolves through the "edge-light" condition to dist/runtime/workers.js, in the Edge Runtime', () => {
    expect(suiteModules.filter((id) => id.includes('/dist/runtime/'))).toEqual([join(REPO_ROOT, 'dist/runtime/workers.js')])
    expect(report?.edgeRuntime).toBe('edge-runtime')
    expect(report?.exports).not.toContain('FileKeyStore')
  })
  itEachCase(caseNames(vectors), () => report?.results)
})

describe('edge-light: the router and the relay as Vercel Edge Functions', () => {
  it('the router serves its key and round-trips our client', async () => {
    expect(await (await fetch(`${urls.router}/pki/public_key`)).text()).toBe(routerPublicPem)
    const client = new SecureChatCompletion({
      baseUrl: urls.router,
      apiKey: 'sk-edge',
      allowHttp: true,
      maxRetries: 0,
      keyBinding: 'require',
    })
    await client.client.loadKeys(clientPem)
    const completion = await client.create({ model: 'm', messages: [{ role: 'user', content: 'hi edge' }] })
    expect(completion.choices[0]!.message.content).toBe('edge: [{"role":"user","content":"hi edge"}]')
  })

  it('a page client without an API key round-trips through the relay to the router', async () => {
    const page = new SecureChatCompletion({ baseUrl: urls.relay, allowHttp: true, maxRetries: 0, keyBinding: 'require' })
    await page.client.loadKeys(clientPem)
    const completion = await page.create({ model: 'm', messages: [{ role: 'user', content: 'via relay' }] })
    expect(completion.choices[0]!.message.content).toBe('edge: [{"role":"user","content":"via relay"}]')
    // Without the relay's key the router refuses the same page.
    const direct = new SecureChatCompletion({ baseUrl: urls.router, allowHttp: true, maxRetries: 0 })
    await direct.client.loadKeys(clientPem)
    await expect(direct.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 })
  })
})
