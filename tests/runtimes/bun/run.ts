// Runs the shared suite in Bun. tests/runtimes/bun.test.ts copies this file into an app directory
// whose node_modules links nomyo-secure, so the import below resolves as in a user's Bun project,
// through the package's "bun" export condition.
import * as lib from 'nomyo-secure'

declare const Bun: { file(path: string): { text(): Promise<string> } }

const [suiteUrl, routerUrl, routerFingerprint, vectorsDir, keyDir] = process.argv.slice(2)
const { loadVectors, runSuite } = await import(suiteUrl!)
const vectors = await loadVectors((path: string) => Bun.file(`${vectorsDir}/${path}`).text())
const results = await runSuite({ runtime: 'bun', lib, routerUrl, routerFingerprint, vectors, keyDir })

console.log(JSON.stringify({ resolved: import.meta.resolve('nomyo-secure'), exports: Object.keys(lib), results }))
