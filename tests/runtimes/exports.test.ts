/**
 * The package's `exports` as each kind of consumer resolves them, for the conditions no runtime
 * test covers on its own (Vercel Edge, a bare `worker` bundler, the condition-less default) and
 * for every explicit subpath; and every file they name exists, with its declarations.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { rollup } from 'rollup'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, makeApp } from './harness.js'

const app = makeApp('exports')
afterAll(() => app.remove())

/** The file a bundler with `conditions` picks for `specifier`, imported from an app. */
async function resolveWith(conditions: string[], specifier: string): Promise<string> {
  const entry = join(app.dir, 'entry.js')
  let picked: string | undefined
  const build = await rollup({
    input: entry,
    plugins: [
      {
        name: 'only-the-first-hop',
        resolveId: (id, importer) => (id === entry ? id : importer && importer !== entry ? { id, external: true } : null),
        // Only the path matters: the picked file is not read.
        load: (id) => (id === entry ? `import ${JSON.stringify(specifier)}` : 'export {}'),
      },
      nodeResolve({ browser: conditions.includes('browser'), exportConditions: [...conditions, 'import', 'default'] }),
      {
        name: 'record',
        buildEnd() {
          picked = this.getModuleInfo(entry)?.importedIds[0]
        },
      },
    ],
  })
  await build.close()
  return relative(REPO_ROOT, picked ?? '(unresolved)')
}

describe('package.json exports', () => {
  const cases: Array<[string, string[], string, string]> = [
    ['Cloudflare Workers (wrangler)', ['workerd', 'worker', 'browser'], 'nomyo-secure', 'dist/runtime/workers.js'],
    ['Vercel Edge', ['edge-light', 'worker', 'browser'], 'nomyo-secure', 'dist/runtime/workers.js'],
    ['a bundler for web workers', ['worker'], 'nomyo-secure', 'dist/runtime/workers.js'],
    ['a browser bundler', ['browser'], 'nomyo-secure', 'dist/runtime/browser.js'],
    ['Deno', ['deno', 'node'], 'nomyo-secure', 'dist/runtime/deno.js'],
    ['Bun', ['bun', 'node'], 'nomyo-secure', 'dist/runtime/bun.js'],
    ['Node', ['node'], 'nomyo-secure', 'dist/runtime/node.js'],
    ['no known condition', [], 'nomyo-secure', 'dist/index.js'],
    ['the /browser subpath, even in Node', ['node'], 'nomyo-secure/browser', 'dist/runtime/browser.js'],
    ['the /workers subpath', ['node'], 'nomyo-secure/workers', 'dist/runtime/workers.js'],
    ['the /deno subpath', ['node'], 'nomyo-secure/deno', 'dist/runtime/deno.js'],
    ['the /bun subpath', ['node'], 'nomyo-secure/bun', 'dist/runtime/bun.js'],
    ['the /node subpath', ['browser'], 'nomyo-secure/node', 'dist/runtime/node.js'],
    ['the /router subpath', ['browser'], 'nomyo-secure/router', 'dist/router/index.js'],
    ['the /relay subpath', ['workerd', 'worker', 'browser'], 'nomyo-secure/relay', 'dist/relay/index.js'],
    ['package.json', [], 'nomyo-secure/package.json', 'package.json'],
  ]
  for (const [who, conditions, specifier, file] of cases) {
    it(`${who}: ${specifier} → ${file}`, async () => {
      expect(await resolveWith(conditions, specifier)).toBe(file)
    })
  }

  it('names only files that the build made, each with its declarations listed first', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
    const targets: Array<Record<string, string>> = []
    const collect = (value: unknown): void => {
      if (value && typeof value === 'object' && 'default' in value && typeof (value as { default: unknown }).default === 'string') {
        targets.push(value as Record<string, string>)
      } else if (value && typeof value === 'object') Object.values(value).forEach(collect)
    }
    collect(pkg.exports)
    expect(targets.length).toBeGreaterThanOrEqual(15)
    for (const target of targets) {
      expect(Object.keys(target)).toEqual(['types', 'default'])
      expect(existsSync(join(REPO_ROOT, target.types!)), target.types).toBe(true)
      expect(existsSync(join(REPO_ROOT, target.default!)), target.default).toBe(true)
    }
    for (const field of ['main', 'types', 'browser', 'unpkg']) expect(existsSync(join(REPO_ROOT, pkg[field])), field).toBe(true)
  })
})
