/**
 * The benchmark scripts still run against the current build and report what bench/run.mjs reads.
 * Structure only: timings and memory figures are the bench's business, not a test's.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../e2e/helpers/static-server.js'

const run = async (...args: string[]) => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ...args], { cwd: REPO_ROOT, timeout: 60_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
}

describe('bench scripts (smoke)', () => {
  it('crypto-overhead measures client and floor at a small size', async () => {
    const out = (await run('bench/crypto-overhead.mjs', '--quick', '--sizes', '1024')) as { results: Array<Record<string, number>> }
    const [result] = out.results
    expect(result!.error).toBeUndefined()
    for (const key of ['client', 'floor', 'ratio', 'clientEncrypt', 'clientDecrypt']) expect(result![key]).toBeGreaterThan(0)
  }, 60_000)

  it('cpu measures the client and both floors per request', async () => {
    const out = await run('bench/cpu.mjs', '--quick')
    for (const key of ['clientMs', 'rsaMs', 'fetchMs', 'budgetMs', 'headerBytes']) expect(out[key]).toBeGreaterThan(0)
    expect(typeof out.withinTarget).toBe('boolean')
  }, 60_000)

  it.each([
    [[], 'sendSecureRequest'],
    [['--plain'], 'plain JSON over fetch'],
    [['--floor'], 'cryptographic floor'],
  ])(
    'memory runs one exchange (%j)',
    async (extra, mode) => {
      const out = await run('bench/memory.mjs', '--bytes', String(256 * 1024), ...extra)
      expect(out.mode).toBe(mode)
      expect(out.answerBytes).toBeGreaterThan(200 * 1024)
      expect(typeof out.peakRssGrowth).toBe('number')
      // This machine is Linux: the exact peak must be what was measured.
      if (process.platform === 'linux') expect(out.exactPeak).toBe(true)
    },
    60_000,
  )
})
