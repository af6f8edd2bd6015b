/**
 * Extracts the TypeScript blocks of the project's Markdown and type-checks them with tsc against the
 * package as users import it (`nomyo-secure`, `nomyo-secure/router`, ... resolved through
 * package.json `exports` to the sources), so a renamed option or a broken example fails the tests.
 *
 * A block is a fence whose info string starts with `ts` or `typescript`. Its second word, if any,
 * names the export condition its `nomyo-secure` import resolves with (`browser`, `workerd`, `deno`,
 * `bun`, `node`; default `node`). A comment `<!-- doc-prelude: ... -->` on the line before a fence is
 * prepended to the block unseen by readers (for names a snippet takes from its surroundings).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface DocBlock {
  /** Markdown file, relative to the repository. */
  file: string
  /** 1-based line of the block's first code line in the Markdown file. */
  line: number
  condition: string
  prelude: string
  code: string
}

const FENCE = /^(\s*)(```+)\s*(ts|typescript)\b\s*(\S*)?.*$/
const PRELUDE = /^\s*<!--\s*doc-prelude:\s*([\s\S]*?)\s*-->\s*$/

/** The Markdown files whose examples users read: README, the root guides, docs/, demo/, examples/. */
export function markdownFiles(): string[] {
  const found = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md']
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(join(REPO, dir), { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.md')) found.push(path)
    }
  }
  for (const dir of ['docs', 'demo', 'examples']) walk(dir)
  return found.filter((file) => {
    try {
      readFileSync(join(REPO, file))
      return true
    } catch {
      return false
    }
  })
}

export function extractBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split('\n')
  const blocks: DocBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!)
    if (!open) continue
    const [, indent = '', fence = '```', , condition] = open
    const prelude = PRELUDE.exec(lines[i - 1] ?? '')?.[1] ?? ''
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!.slice(indent.length))
    blocks.push({ file, line: i + 2, condition: condition || 'node', prelude, code: body.join('\n') })
    i = j
  }
  return blocks
}

/** `paths` for tsc: every `exports` subpath of package.json, under one condition, mapped to its source. */
function pathsFor(condition: string): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
  const paths: Record<string, string[]> = {}
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    let chosen: unknown = target
    if (chosen && typeof chosen === 'object' && !('types' in chosen)) {
      const byCondition = chosen as Record<string, unknown>
      chosen = byCondition[condition] ?? byCondition.default
    }
    const types = chosen && typeof chosen === 'object' ? (chosen as { types?: string }).types : undefined
    if (!types) continue
    const source = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')
    const name = subpath === '.' ? 'nomyo-secure' : `nomyo-secure/${subpath.slice(2)}`
    paths[name] = [join(REPO, source)]
    paths[`npm:${name}`] = [join(REPO, source)] // Deno's spelling
  }
  // The sources' own internal aliases (package.json "imports"), each to the source of its default file.
  const { imports } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { imports: Record<string, { default: string }> }
  for (const [alias, targets] of Object.entries(imports))
    paths[alias] = [join(REPO, targets.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'))]
  return paths
}

function ambientDeclarations(): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name))
      else if (entry.name.endsWith('.d.ts')) found.push(join(dir, entry.name))
    }
  }
  walk(join(REPO, 'src'))
  return found
}

export interface Diagnostic {
  block: DocBlock
  message: string
}

/**
 * Type-checks blocks, one tsc run per export condition, in `dir` (inside the repository, so the
 * repository's node_modules resolve `openai`, `ai`, ...). Returns the diagnostics mapped to the blocks.
 */
export function typecheckBlocks(blocks: DocBlock[], dir: string): Diagnostic[] {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const diagnostics: Diagnostic[] = []
  const byCondition = new Map<string, DocBlock[]>()
  for (const block of blocks) byCondition.set(block.condition, [...(byCondition.get(block.condition) ?? []), block])
  for (const [condition, group] of byCondition) {
    const groupDir = join(dir, condition)
    mkdirSync(groupDir, { recursive: true })
    const names = group.map((block, index) => {
      const name = `block-${index}.ts`
      // The prelude shares the first line with the block's start so line numbers map one to one.
      writeFileSync(join(groupDir, name), `${block.prelude.replace(/\n/g, ' ')}\n${block.code}\nexport {}\n`)
      return name
    })
    writeFileSync(join(groupDir, 'globals.d.ts'), readFileSync(join(REPO, 'tests', 'docs', 'doc-globals.d.ts')))
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        customConditions: [condition],
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        paths: pathsFor(condition),
      },
      // The sources' own ambient declarations (e.g. the Node built-ins the Node entry uses).
      files: [...names, 'globals.d.ts', ...ambientDeclarations()],
    }
    writeFileSync(join(groupDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
    let output = ''
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', groupDir, '--pretty', 'false'], {
        encoding: 'utf8',
        cwd: groupDir,
      })
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error)
    }
    for (const line of output.split('\n')) {
      const match = /^(.+?)\((\d+),\d+\): (error .*)$/.exec(line.trim())
      if (!match) continue
      const index = names.indexOf(match[1]!)
      const block = group[index]
      if (!block) {
        diagnostics.push({ block: group[0]!, message: line })
        continue
      }
      const at = Number(match[2]) - 2 + block.line
      diagnostics.push({ block, message: `${block.file}:${at}: ${match[3]}` })
    }
  }
  return diagnostics
}
