// Runs the shared suite in Deno. tests/runtimes/deno.test.ts copies this file into an app directory
// whose node_modules links nomyo-secure, so the imports below resolve as in a user's Deno project:
// `npm:nomyo-secure` and the bare name through the package's "deno" export condition.
import * as lib from 'npm:nomyo-secure'
import * as bare from 'nomyo-secure'

const [suiteUrl, routerUrl, routerFingerprint, vectorsDir, keyDir, builtUrl] = Deno.args
const { loadVectors, runSuite, suite } = await import(suiteUrl)
const vectors = await loadVectors((path: string) => Deno.readTextFile(`${vectorsDir}/${path}`))
const context = (runtime: string, module: unknown) => ({ runtime, lib: module, routerUrl, routerFingerprint, vectors, keyDir })
const cases = suite(vectors, { files: true })

const results = await runSuite(context('deno', lib), cases)
// The self-contained build, imported by file URL as a script would import it from a CDN.
const built = await import(builtUrl)
const builtResults = await runSuite(
  context('deno built file', built),
  cases.filter((test: { slow?: boolean }) => !test.slow),
)

console.log(
  JSON.stringify({
    resolved: import.meta.resolve('nomyo-secure'),
    sameModule: bare.SecureChatCompletion === lib.SecureChatCompletion,
    exports: Object.keys(lib),
    builtExports: Object.keys(built),
    results,
    builtResults,
  }),
)
