/**
 * The measurable parts of the house rules (CONTRIBUTING.md): the README stays a front page, and
 * source files stay small enough to read in one sitting.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from './doc-blocks.js'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : /\.(ts|mjs|js)$/.test(entry.name) ? [path] : []
  })
}

describe('house rules', () => {
  it('README.md is at most 12 KB: details live in docs/', () => {
    expect(statSync(join(REPO, 'README.md')).size).toBeLessThanOrEqual(12 * 1024)
  })

  it('no file in src/ is over 300 lines', () => {
    const long = sourceFiles(join(REPO, 'src'))
      .map((file) => ({ file: relative(REPO, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 300)
    expect(long).toEqual([])
  })
})
