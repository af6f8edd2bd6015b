// Sizes of the self-contained browser builds, minified and gzipped (zlib level 9).
// The ESM build may be split: its initial size is the entry plus every chunk it imports statically
// (what a page downloads before it can construct a client); chunks behind import() are lazy and
// reported apart. Each file is gzipped on its own, as each is its own HTTP response.
//   node bench/bundle-size.mjs   → prints one JSON line
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

/** Gzip targets from issue 6, in bytes (1 KB = 1000 bytes). */
export const TARGETS = {
  'nomyo-secure.browser.min.js': 12_000,
  'nomyo-secure.iife.min.js': 14_000,
}

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length

function imports(code) {
  const found = (pattern) => [...code.matchAll(pattern)].map((match) => match[1])
  return {
    static: found(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g),
    dynamic: found(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g),
  }
}

/** The files an entry loads: `initial` (the entry and its static imports) and `lazy` (behind import()). */
function graph(entry) {
  const initial = new Set()
  const lazy = new Set()
  const visit = (file, into) => {
    if (initial.has(file) || into.has(file)) return
    into.add(file)
    const found = imports(readFileSync(file, 'utf8'))
    for (const spec of found.static) visit(join(dirname(file), spec), into)
    for (const spec of found.dynamic) visit(join(dirname(file), spec), lazy)
  }
  visit(entry, initial)
  for (const file of initial) lazy.delete(file)
  return { initial: [...initial], lazy: [...lazy] }
}

const measure = (files) =>
  files.reduce(
    (sum, file) => {
      const bytes = readFileSync(file)
      return { bytes: sum.bytes + bytes.length, gzip: sum.gzip + gzipped(bytes), files: [...sum.files, relative(DIST, file)] }
    },
    { bytes: 0, gzip: 0, files: [] },
  )

/** Measures each target bundle; throws when dist has not been built. */
export function bundleSizes() {
  return Object.entries(TARGETS).map(([name, target]) => {
    const entry = join(DIST, name)
    if (!existsSync(entry)) throw new Error(`dist/${name} is missing: run "npm run build" first`)
    const { initial, lazy } = graph(entry)
    const initialSize = measure(initial)
    return { name, target, ...initialSize, lazy: measure(lazy), withinTarget: initialSize.gzip <= target }
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(JSON.stringify(bundleSizes()))
