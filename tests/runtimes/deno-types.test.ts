/**
 * Deno type-checks what it imports (`deno check`, and `deno test` by default): the package's
 * declaration files, installed as npm installs them (files in node_modules, not a link to this
 * repository, which Deno would read as local modules), must type a Deno program, and its mistakes
 * must be reported.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, binary, run } from './harness.js'

const DENO = binary('@deno/linux-x64-glibc/deno', '.bin/deno')
const app = { dir: mkdtempSync(join(tmpdir(), 'nomyo-deno-types-')) }
afterAll(() => rmSync(app.dir, { recursive: true, force: true }))
const installed = join(app.dir, 'node_modules', 'nomyo-secure')
mkdirSync(installed, { recursive: true })
for (const file of ['package.json', 'dist']) cpSync(join(REPO_ROOT, file), join(installed, file), { recursive: true })
writeFileSync(join(app.dir, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'nomyo-secure': '*' } }))
writeFileSync(join(app.dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }))

const check = (source: string) => {
  writeFileSync(join(app.dir, 'main.ts'), source)
  return run(DENO, ['check', '--quiet', 'main.ts'], { cwd: app.dir, env: { DENO_NO_UPDATE_CHECK: '1' } })
}

describe('deno check against the built package', () => {
  it('type-checks a program using the Deno entry, the router and the relay', async () => {
    const result = await check(`
      import { SecureChatCompletion, SecurityError } from 'nomyo-secure'
      import { createSecureRouter } from 'nomyo-secure/router'
      import { createRelay } from 'nomyo-secure/relay'
      const client = new SecureChatCompletion({ keyDir: 'client_keys', keyBinding: 'require' })
      const answer: Promise<{ choices: unknown[] }> = client.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      console.log(answer, SecurityError, createSecureRouter, createRelay)
    `)
    expect(result.stderr + result.stdout).toBe('')
    expect(result.code).toBe(0)
  }, 120_000)

  it('reports a wrong option (negative control)', async () => {
    const result = await check(`
      import { SecureChatCompletion } from 'nomyo-secure'
      new SecureChatCompletion({ keyDirectory: 'client_keys' })
    `)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('keyDirectory')
  }, 120_000)
})
