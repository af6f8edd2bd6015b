/**
 * The example routers of examples/ started as their READMEs say (Deno, Bun, and workerd through
 * miniflare), each in an app that installed nomyo-secure and pointed at a stubbed upstream, and the
 * round trips every one of them must pass. Used by the example tests and the runtime limit tests.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import ts from 'typescript'
import { expect, it } from 'vitest'
import { routerPem } from '../helpers/keys.js'
import { bundle } from '../runtimes/bundle.js'
import { binary } from '../runtimes/harness.js'
import { NOMYO_API_KEY, UPSTREAM_KEY, askWithOurClient, askWithPythonClient, exampleApp, startServer, type Upstream } from './support.js'

export const DENO = binary('@deno/linux-x64-glibc/deno', '.bin/deno')
export const BUN = binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')

/** A running example router; `stop` ends its runtime and removes its app. */
export interface ExampleRouter {
  url: string
  /** The example's folder inside the app. */
  dir: string
  stop(): Promise<void>
}

/** The example's wrangler.jsonc, as far as the tests read it. */
export interface WranglerConfig {
  name: string
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
  vars?: Record<string, string>
}

/** The secrets and settings every example router reads, the upstream pointed at the stub. */
const routerSecrets = (upstream: Upstream) => ({
  ROUTER_KEY_PEM: routerPem,
  NOMYO_API_KEY,
  UPSTREAM_URL: `${upstream.url}/v1`,
  UPSTREAM_KEY,
})

/** examples/deno-router run by the real Deno binary with the permissions its README gives. */
export function startDenoRouter(upstream: Upstream): Promise<ExampleRouter> {
  const args = ['run', '--no-prompt', '--cached-only', '--node-modules-dir=manual', '--allow-net=127.0.0.1', '--allow-env', 'main.ts']
  return startProcessRouter('deno-router', DENO, args, upstream)
}

/** examples/bun-router run by the real Bun binary as its README says. */
export function startBunRouter(upstream: Upstream): Promise<ExampleRouter> {
  return startProcessRouter('bun-router', BUN, ['--no-install', 'main.ts'], upstream)
}

async function startProcessRouter(name: string, command: string, args: string[], upstream: Upstream): Promise<ExampleRouter> {
  const app = exampleApp(name)
  try {
    const env = { ...routerSecrets(upstream), HOST: '127.0.0.1', PORT: '0' }
    const server = await startServer(command, args, { cwd: app.dir, env })
    const stop = async () => {
      await server.stop()
      app.remove()
    }
    return { url: server.url, dir: app.dir, stop }
  } catch (error) {
    app.remove()
    throw error
  }
}

/**
 * examples/cloudflare-router in workerd through miniflare, configured from the example's own
 * wrangler.jsonc plus the secrets its README puts, bundled as wrangler would (conditions workerd,
 * worker, browser); with the config read and the bundled modules' ids.
 */
export async function startWorkerRouter(upstream: Upstream): Promise<ExampleRouter & { config: WranglerConfig; modules: string[] }> {
  const app = exampleApp('cloudflare-router')
  let mf: Miniflare | undefined
  try {
    // wrangler.jsonc is JSON with comments; TypeScript's tsconfig reader parses exactly that.
    const parsed = ts.parseConfigFileTextToJson('wrangler.jsonc', readFileSync(join(app.dir, 'wrangler.jsonc'), 'utf8'))
    if (parsed.error) throw new Error(`wrangler.jsonc does not parse: ${String(parsed.error.messageText)}`)
    const config = parsed.config as WranglerConfig
    const worker = await bundle(join(app.dir, config.main), ['workerd', 'worker', 'browser'], join(app.dir, '../../node_modules'))
    mf = new Miniflare({
      name: config.name,
      modules: true,
      script: worker.code,
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags ?? [],
      // The vars from the config, the upstream pointed at the stub; then the secrets (`wrangler secret put`).
      bindings: { ...config.vars, ...routerSecrets(upstream) },
      host: '127.0.0.1',
      port: 0,
    })
    const running = mf
    const url = (await running.ready).origin
    const stop = async () => {
      await running.dispose()
      app.remove()
    }
    return { url, dir: app.dir, stop, config, modules: worker.modules }
  } catch (error) {
    await mf?.dispose()
    app.remove()
    throw error
  }
}

/**
 * The round trips every example router passes: our client and the Python client through it to the
 * upstream (with the upstream key), and an upstream failure answered 502 without quoting it.
 */
export function itRoundTrips(started: () => { url: string; upstream: Upstream }, through = 'the router'): void {
  it(`round-trips our client through ${through} to the upstream, with the upstream key`, async () => {
    const { url, upstream } = started()
    const completion = await askWithOurClient(url, 'hello from node', NOMYO_API_KEY)
    expect(completion.choices[0]!.message.content).toBe('echo: hello from node')
    expect(completion.model).toBe('upstream:example-model')
    expect(upstream.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', authorization: `Bearer ${UPSTREAM_KEY}` })
  })

  it('round-trips the Python client', async () => {
    const answer = await askWithPythonClient(started().url, 'hello from python', NOMYO_API_KEY)
    expect((answer.choices as Array<{ message: { content: string } }>)[0]!.message.content).toBe('echo: hello from python')
  })

  it('answers an upstream failure with 502 and a detail that does not quote the upstream', async () => {
    const error = await askWithOurClient(started().url, 'secret words', NOMYO_API_KEY, 'broken').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 502 })
    expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain('secret words')
  })
}

/** A client without the API key is refused (401) before anything reaches the upstream. */
export function itRefusesWithoutTheKey(started: () => { url: string; upstream: Upstream }): void {
  it('refuses a client without the API key (401) before anything reaches the upstream', async () => {
    const { url, upstream } = started()
    const before = upstream.requests.length
    await expect(askWithOurClient(url, 'no key')).rejects.toMatchObject({ status: 401 })
    expect(upstream.requests.length).toBe(before)
  })
}
