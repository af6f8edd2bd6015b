/**
 * The shared suite in Node, importing `nomyo-secure` by name: the package's own `exports` pick
 * dist/runtime/node.js through the `node` condition, as in a user's project.
 */
import * as lib from 'nomyo-secure'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { suite, type SuiteContext } from '../suite/index.js'
import { makeApp, makeKeyDir, readVectors, routerFingerprint, startSuiteRouter } from './harness.js'

const vectors = await readVectors()
const app = makeApp('node')
const ctx: SuiteContext = {
  runtime: 'node',
  lib: lib as SuiteContext['lib'],
  routerUrl: '',
  routerFingerprint,
  vectors,
  keyDir: makeKeyDir(app.dir),
}
let router: Awaited<ReturnType<typeof startSuiteRouter>> | undefined

beforeAll(async () => {
  router = await startSuiteRouter()
  ctx.routerUrl = router.url
})
afterAll(async () => {
  await router?.close()
  app.remove()
})

describe('node: nomyo-secure', () => {
  it('resolves through the "node" condition to dist/runtime/node.js, with file keys', () => {
    expect(import.meta.resolve('nomyo-secure')).toMatch(/\/dist\/runtime\/node\.js$/)
    expect(typeof lib.FileKeyStore).toBe('function')
  })
  for (const test of suite(vectors, { files: true })) it(test.name, () => test.run(ctx))
})
