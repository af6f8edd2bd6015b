/** The `nomyo-secure` bin: its commands, its usage text and its exit codes (the built file, as npx runs it). */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../e2e/helpers/static-server.js'

const BIN = join(REPO_ROOT, 'dist/cli/nomyo-secure.js')
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })

describe('nomyo-secure bin', () => {
  it('lists its commands with --help (exit 0) and without a command (exit 2)', () => {
    const help = run('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^ {2}router /m)
    expect(help.stdout).toMatch(/^ {2}proxy /m)
    const bare = run()
    expect(bare.status).toBe(2)
    expect(bare.stderr).toContain('Usage: nomyo-secure <command>')
  })

  it('refuses an unknown command', () => {
    const result = run('serve')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('unknown command "serve"')
  })

  it('runs the proxy command with its own options', () => {
    const help = run('proxy', '--help')
    expect(help.status).toBe(0)
    for (const option of [
      '--router',
      '--api-key',
      '--pin',
      '--router-key-file',
      '--key-dir',
      '--security-tier',
      '--key-binding',
      '--timeout',
      '--local-token',
      '--pass-api-key',
      '--cors-origin',
    ]) {
      expect(help.stdout).toContain(option)
    }
    const bad = run('proxy', '--security-tier', 'ultra')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--security-tier must be one of')
  })

  it('runs the router command with its own options', () => {
    const help = run('router', '--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('--upstream-timeout')
    const bad = run('router', '--prot', '1')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--help')
  })
})
