// A Vercel Edge Function that runs the shared suite. tests/runtimes/edge-light.test.ts bundles it
// as Vercel would (conditions edge-light, worker, browser) and runs it in the `edge-runtime` VM.
import * as lib from 'nomyo-secure'
import { runSuite, type SuiteContext } from '../../suite/index.ts'

declare function addEventListener(
  type: 'fetch',
  listener: (event: { request: Request; respondWith(response: Promise<Response>) }) => void,
): void
declare const EdgeRuntime: string | undefined

addEventListener('fetch', (event) => {
  event.respondWith(
    (async () => {
      const { routerUrl, routerFingerprint, vectors } = (await event.request.json()) as Omit<SuiteContext, 'lib' | 'runtime'>
      const results = await runSuite({ runtime: 'edge-light', lib: lib as SuiteContext['lib'], routerUrl, routerFingerprint, vectors })
      return Response.json({ edgeRuntime: typeof EdgeRuntime === 'string' ? EdgeRuntime : null, exports: Object.keys(lib), results })
    })(),
  )
})
