// A Cloudflare Worker that runs the shared suite. tests/runtimes/workerd.test.ts bundles it as
// wrangler would (conditions workerd, worker, browser) and posts the router URL and the vectors.
import * as lib from 'nomyo-secure'
import { runSuite, type SuiteContext } from '../../suite/index.ts'

export default {
  async fetch(request: Request): Promise<Response> {
    const { routerUrl, routerFingerprint, vectors } = (await request.json()) as Omit<SuiteContext, 'lib' | 'runtime'>
    const results = await runSuite({ runtime: 'workerd', lib: lib as SuiteContext['lib'], routerUrl, routerFingerprint, vectors })
    return Response.json({ userAgent: navigator.userAgent, exports: Object.keys(lib), results })
  },
}
