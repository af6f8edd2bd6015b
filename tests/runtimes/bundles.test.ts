/**
 * What a browser (or a Worker) downloads: no Node built-in imports, no `require`, no file-store
 * code. Checked on the syntax tree of the built files, so comments that mention Deno or
 * `process.env` do not count, and controls prove the check sees such code where it belongs.
 */
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { parseAst } from 'rollup/parseAst'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from './harness.js'

const dist = (file: string) => join(REPO_ROOT, 'dist', file)
const BUILTINS = new Set(builtinModules)
/** Names only the key-file code uses (the core's `files.writeText` for generateKeys is not one). */
const FILE_CODE = new Set([
  'require',
  'Deno',
  'Bun',
  'readTextFile',
  'writeTextFile',
  'writeTextExclusive',
  'FileKeyStore',
  'nodeFiles',
  'denoFiles',
  'bunFiles',
])

type Node = { type: string; [key: string]: unknown }

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) for (const child of node) walk(child, visit)
  else if (node && typeof node === 'object') {
    if (typeof (node as Node).type === 'string') visit(node as Node)
    for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value, visit)
  }
}

/** Imported specifiers and file-code names in one built file. */
function inspect(file: string): { imports: string[]; fileCode: string[] } {
  const imports: string[] = []
  const fileCode = new Set<string>()
  walk(parseAst(readFileSync(file, 'utf8')), (node) => {
    const source = node.source as Node | null | undefined
    if (source?.type === 'Literal' && typeof source.value === 'string') imports.push(source.value)
    if (node.type === 'Identifier' && FILE_CODE.has(node.name as string)) fileCode.add(node.name as string)
    if (node.type === 'Literal' && typeof node.value === 'string' && /FileKeyStore|writeTextExclusive/.test(node.value))
      fileCode.add(JSON.stringify(node.value))
  })
  return { imports, fileCode: [...fileCode] }
}

/** A built entry and every dist file it imports, statically or lazily, with what they contain. */
function graph(entry: string): { files: string[]; nodeImports: string[]; fileCode: string[] } {
  const seen = new Set<string>()
  const nodeImports = new Set<string>()
  const fileCode = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const found = inspect(file)
    for (const name of found.fileCode) fileCode.add(name)
    for (const specifier of found.imports) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else if (specifier.startsWith('node:') || BUILTINS.has(specifier)) nodeImports.add(specifier)
    }
  }
  visit(entry)
  return { files: [...seen].map((file) => relative(REPO_ROOT, file)), nodeImports: [...nodeImports], fileCode: [...fileCode] }
}

describe('browser bundles carry no Node built-ins and no file-store code', () => {
  it('dist/nomyo-secure.browser.min.js and the chunks it loads', () => {
    const { files, nodeImports, fileCode } = graph(dist('nomyo-secure.browser.min.js'))
    expect(files.filter((file) => !file.startsWith('dist/browser-chunks/'))).toEqual(['dist/nomyo-secure.browser.min.js'])
    expect({ nodeImports, fileCode }).toEqual({ nodeImports: [], fileCode: [] })
  })
  it('dist/nomyo-secure.iife.min.js, one file', () => {
    const { files, nodeImports, fileCode } = graph(dist('nomyo-secure.iife.min.js'))
    expect(files).toEqual(['dist/nomyo-secure.iife.min.js'])
    expect({ nodeImports, fileCode }).toEqual({ nodeImports: [], fileCode: [] })
  })
  it('dist/runtime/browser.js and the chunks it imports', () => {
    const { files, nodeImports, fileCode } = graph(dist('runtime/browser.js'))
    expect(files.length).toBeGreaterThan(1)
    expect({ nodeImports, fileCode }).toEqual({ nodeImports: [], fileCode: [] })
  })
})

describe('browser bundles carry no streamed-upload code (`#platform/upload-stream` under `browser`)', () => {
  /** Whether a built file (and the dist files it imports) sets `duplex`, which only a streamed upload needs. */
  const streamsUploads = (entry: string) =>
    graph(dist(entry)).files.some((file) => readFileSync(join(REPO_ROOT, file), 'utf8').includes('duplex'))
  it.each(['nomyo-secure.browser.min.js', 'nomyo-secure.iife.min.js'])('dist/%s', (entry) => {
    expect(streamsUploads(entry)).toBe(false)
  })
  it.each(['nomyo-secure.deno.min.js', 'platform/upload-stream.js'])('control: dist/%s has it', (entry) => {
    expect(streamsUploads(entry)).toBe(true)
  })
})

describe('the core and the Workers entry are just as clean', () => {
  for (const entry of ['index.js', 'runtime/workers.js']) {
    it(`dist/${entry} and its chunks`, () => {
      const { nodeImports, fileCode } = graph(dist(entry))
      expect({ nodeImports, fileCode }).toEqual({ nodeImports: [], fileCode: [] })
    })
  }
})

describe('the file runtimes have their file code (controls for the checks above)', () => {
  it('node: node:fs and the file key store', () => {
    const { nodeImports, fileCode } = graph(dist('runtime/node.js'))
    expect(nodeImports).toContain('node:fs/promises')
    expect(fileCode).toEqual(expect.arrayContaining(['FileKeyStore', 'writeTextExclusive', 'nodeFiles']))
  })
  it('deno: Deno.* and the file key store, no Node built-in', () => {
    const { nodeImports, fileCode } = graph(dist('runtime/deno.js'))
    expect(nodeImports).toEqual([])
    expect(fileCode).toEqual(expect.arrayContaining(['Deno', 'FileKeyStore', 'denoFiles']))
    // The self-contained, minified Deno build: nothing imported, and the check still sees `Deno`.
    expect(inspect(dist('nomyo-secure.deno.min.js'))).toEqual({
      imports: [],
      fileCode: expect.arrayContaining(['Deno', 'writeTextExclusive']),
    })
  })
  it("bun: Bun.file for reads; writes through Bun's native node:fs", () => {
    const { nodeImports, fileCode } = graph(dist('runtime/bun.js'))
    expect(fileCode).toEqual(expect.arrayContaining(['Bun', 'FileKeyStore', 'bunFiles']))
    expect(nodeImports.every((specifier) => specifier.startsWith('node:'))).toBe(true)
  })
})
