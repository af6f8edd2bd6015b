/**
 * examples/bun-router run by the real Bun binary (from the npm package `bun`) as its README
 * says, in an app that installed nomyo-secure: our client and the Python
 * client round-trip through it to a stubbed upstream on 127.0.0.1.
 */
import { afterAll, beforeAll, describe } from 'vitest'
import { itRefusesWithoutTheKey, itRoundTrips, startBunRouter } from './example-routers.js'
import { startUpstream, type Upstream } from './support.js'

let upstream: Upstream
let url = ''
const cleanup: Array<() => unknown> = []

beforeAll(async () => {
  upstream = await startUpstream()
  cleanup.push(() => upstream.close())
  const router = await startBunRouter(upstream)
  cleanup.push(router.stop)
  url = router.url
}, 90_000)
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe('examples/bun-router: Bun.serve({ fetch: handler })', () => {
  itRoundTrips(() => ({ url, upstream }))
  itRefusesWithoutTheKey(() => ({ url, upstream }))
})
