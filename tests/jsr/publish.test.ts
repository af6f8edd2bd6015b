/**
 * JSR: `deno publish --dry-run` (the Deno binary from the npm package `deno`) accepts jsr.json as it
 * is — type check, no slow-type findings, the files it would publish — and jsr.json offers the same
 * entries and version as package.json, so the two registries cannot drift apart.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, binary, run } from '../runtimes/harness.js'

const DENO = binary('@deno/linux-x64-glibc/deno', '.bin/deno')
const jsr = JSON.parse(readFileSync(join(REPO_ROOT, 'jsr.json'), 'utf8')) as {
  name: string
  version: string
  exports: Record<string, string>
  publish: { include: string[]; exclude?: string[] }
}
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; exports: Record<string, unknown> }
let output = { code: null as number | null, stdout: '', stderr: '' }

beforeAll(async () => {
  // --allow-dirty: a working tree with uncommitted changes (local runs); CI's clone is clean anyway.
  output = await run(DENO, ['publish', '--dry-run', '--allow-dirty'], {
    cwd: REPO_ROOT,
    env: { DENO_NO_UPDATE_CHECK: '1' },
    timeoutMs: 180_000,
  })
}, 200_000)

describe('jsr.json: deno publish --dry-run', () => {
  it('passes the type check and the slow-type check', () => {
    const text = output.stdout + output.stderr
    expect(output.code, text.slice(-4000)).toBe(0)
    expect(text).toContain('Checking for slow types in the public API')
    expect(text).toContain('Dry run complete')
    expect(text).not.toMatch(/slow-type|missing-explicit|warning/i)
  })

  it('publishes every entry and no tests, CLI or build output', () => {
    const files = [...(output.stdout + output.stderr).matchAll(/file:\/\/\S+/g)].map((match) =>
      match[0].slice(`file://${REPO_ROOT}/`.length),
    )
    for (const entry of Object.values(jsr.exports)) expect(files).toContain(entry.replace(/^\.\//, ''))
    expect(files.filter((file) => /^(tests|dist|src\/cli)\//.test(file))).toEqual([])
  })

  it('offers the same subpaths and version as package.json', () => {
    const npmSubpaths = Object.keys(pkg.exports).filter((subpath) => subpath !== './package.json')
    expect(Object.keys(jsr.exports).sort()).toEqual(npmSubpaths.sort())
    expect(jsr.version).toBe(pkg.version)
  })
})
