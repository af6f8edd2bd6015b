/**
 * examples/deno-router run by the real Deno binary (from the npm package `deno`) with the
 * permissions its README gives, in an app that installed nomyo-secure: our client and the Python
 * client round-trip through it to a stubbed upstream on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routerPem } from '../helpers/keys.js'
import { REPO_ROOT, binary, run } from '../runtimes/harness.js'
import {
  NOMYO_API_KEY,
  UPSTREAM_KEY,
  askWithOurClient,
  askWithPythonClient,
  exampleApp,
  startServer,
  startUpstream,
  type Upstream,
} from './support.js'

const DENO = binary('@deno/linux-x64-glibc/deno', '.bin/deno')
let upstream: Upstream
let url = ''
let appDir = ''
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  upstream = await startUpstream()
  const app = exampleApp('deno-router')
  appDir = app.dir
  cleanup.push(() => upstream.close(), app.remove)
  const server = await startServer(
    DENO,
    ['run', '--no-prompt', '--cached-only', '--node-modules-dir=manual', '--allow-net=127.0.0.1', '--allow-env', 'main.ts'],
    {
      cwd: app.dir,
      env: { ROUTER_KEY_PEM: routerPem, NOMYO_API_KEY, UPSTREAM_URL: `${upstream.url}/v1`, UPSTREAM_KEY, HOST: '127.0.0.1', PORT: '0' },
    },
  )
  cleanup.push(server.stop)
  url = server.url
}, 90_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('examples/deno-router: Deno.serve(handler)', () => {
  it('type-checks with Deno against the package sources, as JSR serves them', async () => {
    // The sources, not dist: Deno does not map dist's `.d.ts` imports of bundled-away `.js` files.
    const source = (path: string) => pathToFileURL(join(REPO_ROOT, path)).href
    const imports = {
      'nomyo-secure/router': source('src/router/index.ts'),
      '#platform/bytes': source('src/platform/bytes-web.ts'),
    }
    writeFileSync(join(appDir, 'check-map.json'), JSON.stringify({ imports }))
    const args = ['check', '--cached-only', '--sloppy-imports', '--node-modules-dir=manual', '--import-map', 'check-map.json', 'main.ts']
    const checked = await run(DENO, args, { cwd: appDir })
    expect(checked.code, checked.stderr).toBe(0)
  }, 90_000)

  it('round-trips our client through the router to the upstream, with the upstream key', async () => {
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

  it('refuses a client without the API key (401) before anything reaches the upstream', async () => {
    const before = upstream.requests.length
    await expect(askWithOurClient(url, 'no key')).rejects.toMatchObject({ status: 401 })
    expect(upstream.requests.length).toBe(before)
  })
})
