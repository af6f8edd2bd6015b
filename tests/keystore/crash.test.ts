/**
 * A process killed while it creates its key files leaves either no key file or a whole one — never a
 * partial private key that the next start would choke on — and the next start works.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SecureCompletionClient } from '../../src/runtime/node.js'
import { REPO_ROOT } from '../../e2e/helpers/static-server.js'

const root = mkdtempSync(join(tmpdir(), 'nomyo-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Starts a Node process that creates a key in `keyDir` (the built Node entry), kills it after `ms`. */
function createAndKill(keyDir: string, ms: number): Promise<void> {
  const script = `
    const { SecureCompletionClient } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/runtime/node.js'))})
    await new SecureCompletionClient({ keyDir: ${JSON.stringify(keyDir)}, keySize: 2048 }).publicKey()
  `
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), ms)
    child.on('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

describe('key files survive a crash during creation', () => {
  it('killed at many points: no partial private key; the next start loads or creates a working pair', async () => {
    const outcomes = { none: 0, whole: 0 }
    // From before the process has loaded anything to after it has finished writing.
    for (const [i, ms] of [40, 80, 120, 160, 200, 240, 280, 320, 400, 600, 900, 1500].entries()) {
      const keyDir = join(root, `run-${i}`)
      await createAndKill(keyDir, ms)
      const written = existsSync(join(keyDir, 'private_key.pem'))
      outcomes[written ? 'whole' : 'none']++
      // A restart must work: load the whole file, or create the pair when there is none.
      const client = new SecureCompletionClient({ keyDir, keySize: 2048 })
      const { fingerprint } = await client.publicKey()
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
      const again = await new SecureCompletionClient({ keyDir, keySize: 2048 }).publicKey()
      expect(again.fingerprint).toBe(fingerprint)
      // Temporary files of the killed process may remain; they never carry the key file's name.
      expect(readdirSync(keyDir).filter((f) => f.endsWith('.pem'))).toEqual(['private_key.pem', 'public_key.pem'])
    }
    // The schedule must have caught both situations, or the test proves less than it says.
    expect(outcomes.none).toBeGreaterThan(0)
    expect(outcomes.whole).toBeGreaterThan(0)
  }, 120_000)
})
