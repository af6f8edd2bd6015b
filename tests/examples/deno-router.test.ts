/**
 * examples/deno-router run by the real Deno binary (from the npm package `deno`) with the
 * permissions its README gives, in an app that installed nomyo-secure: our client and the Python
 * client round-trip through it to a stubbed upstream on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, run } from '../runtimes/harness.js'
import { DENO, itRefusesWithoutTheKey, itRoundTrips, startDenoRouter } from './example-routers.js'
import { startUpstream, type Upstream } from './support.js'

let upstream: Upstream
let url = ''
let appDir = ''
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  upstream = await startUpstream()
  cleanup.push(() => upstream.close())
  const router = await startDenoRouter(upstream)
  cleanup.push(router.stop)
  url = router.url
  appDir = router.dir
}, 90_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('examples/deno-router: Deno.serve(handler)', () => {
  it('type-checks with Deno against the package sources, as JSR serves them', async () => {
    // The sources, as jsr.json maps them, not dist: Deno does not map dist's `.d.ts` imports of bundled-away `.js` files.
    const source = (path: string) => pathToFileURL(join(REPO_ROOT, path)).href
    const imports = {
      'nomyo-secure/router': source('src/router/index.ts'),
      '#platform/aes-gcm': source('src/platform/aes-gcm-web.ts'),
      '#platform/bytes': source('src/platform/bytes-deno.ts'),
      '#platform/upload-stream': source('src/platform/upload-stream.ts'),
    }
    writeFileSync(join(appDir, 'check-map.json'), JSON.stringify({ imports }))
    const args = ['check', '--cached-only', '--sloppy-imports', '--node-modules-dir=manual', '--import-map', 'check-map.json', 'main.ts']
    const checked = await run(DENO, args, { cwd: appDir })
    expect(checked.code, checked.stderr).toBe(0)
  }, 90_000)

  itRoundTrips(() => ({ url, upstream }))
  itRefusesWithoutTheKey(() => ({ url, upstream }))
})
