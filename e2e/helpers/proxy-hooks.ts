/**
 * The hooks every proxy test file registers: one fixture key directory for all its tests (see
 * ./proxy-cli.ts), and everything a test started (routers, proxies) stopped after that test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import { fixtureKeyDir } from './proxy-cli.js'

interface Running {
  stop?: () => Promise<void>
  close?: () => Promise<void>
}

/** Call at the top of a test file; `keyDir.dir` is readable once the file's tests run. */
export function proxyTestHooks(): { keyDir: { readonly dir: string }; running: Running[] } {
  let made: Awaited<ReturnType<typeof fixtureKeyDir>> | undefined
  const running: Running[] = []
  beforeAll(async () => {
    made = await fixtureKeyDir()
  })
  afterEach(async () => {
    await Promise.all(running.splice(0).map((item) => (item.stop ? item.stop() : item.close?.())))
  })
  afterAll(() => made?.remove())
  const keyDir = {
    get dir(): string {
      if (!made) throw new Error('the fixture key directory exists only while the tests run')
      return made.dir
    },
  }
  return { keyDir, running }
}
