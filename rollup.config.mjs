// Builds the npm package: one ESM module per entry (dependencies left to the consumer's bundler)
// plus type declarations, and the self-contained builds for use without a bundler (browser ESM,
// the <script> IIFE, and an ESM file for Deno scripts that import a URL or a vendored file).
import typescript from '@rollup/plugin-typescript'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { resolve } from 'node:path'

// Each runtime entry is what one export condition of package.json points at.
const entries = {
  index: 'src/index.ts',
  'runtime/browser': 'src/runtime/browser.ts',
  'runtime/workers': 'src/runtime/workers.ts',
  'runtime/deno': 'src/runtime/deno.ts',
  'runtime/bun': 'src/runtime/bun.ts',
  'runtime/node': 'src/runtime/node.ts',
  'router/index': 'src/router/index.ts',
  'ai-sdk/index': 'src/ai-sdk/index.ts',
  'relay/index': 'src/relay/index.ts',
  // What `#platform/…` resolves to, per package.json `"imports"` conditions: Node's Buffer codecs
  // under `node`, the web codecs with Deno's and Bun's additions under `deno` and `bun`, Node's
  // streaming AES-GCM under `node` and `bun`, the web APIs everywhere else; the streamed upload
  // everywhere but under `browser`, and the sliced JSON text too. Bundlers pick one, so browser
  // builds never see the others.
  'platform/bytes-node': 'src/platform/bytes-node.ts',
  'platform/bytes-web': 'src/platform/bytes-web.ts',
  'platform/bytes-bun': 'src/platform/bytes-bun.ts',
  'platform/bytes-deno': 'src/platform/bytes-deno.ts',
  'platform/base64-quanta': 'src/platform/base64-quanta.ts',
  'platform/aes-gcm-node': 'src/platform/aes-gcm-node.ts',
  'platform/aes-gcm-web': 'src/platform/aes-gcm-web.ts',
  'platform/upload-stream': 'src/platform/upload-stream.ts',
  'platform/upload-stream-browser': 'src/platform/upload-stream-browser.ts',
  'platform/json-utf8': 'src/platform/json-utf8.ts',
  'platform/json-utf8-browser': 'src/platform/json-utf8-browser.ts',
  // The PEM private-key codec, loaded on first use (src/crypto/pkcs8-lazy.ts): an entry of its own,
  // so every lazy import of it is an import of this one file, which the script-tag build
  // recognises by module id whichever chunk the codec's code lands in.
  'crypto/pkcs8': 'src/crypto/pkcs8.ts',
}

// `#platform/…` stays a package import in the library build: the runtime or the app's bundler resolves it.
const external = (id) => id === '@ai-sdk/openai-compatible' || id.startsWith('node:') || id.startsWith('#platform/')

const PKCS8_BUILT = resolve('dist/crypto/pkcs8.js')

// Self-contained builds start from the library build above (rollup runs the configs in order, so
// TypeScript compiles once) and resolve `#platform/…` (and any dependency) as a bundler targeting
// `conditions` would.
const bundled = (conditions) => [
  nodeResolve({ browser: conditions.includes('browser'), exportConditions: [...conditions, 'import', 'default'] }),
]
// Error classes report `name = new.target.name`: minifying must keep their names (only theirs).
const minify = (module) => terser({ ecma: 2020, module, keep_classnames: /Error$/, compress: { passes: 3 }, format: { comments: false } })

const SCRIPT_URL = 'NOMYO_SECURE_SCRIPT_URL'
const PEM_MODULE = 'nomyo-secure.pem.min.js'

/** In the script-tag build, the lazy import of the PEM codec (by module id) is the sibling PEM module. */
const pemCodecFromSiblingFile = {
  name: 'pem-codec-from-sibling-file',
  async resolveDynamicImport(specifier, importer) {
    const target = typeof specifier === 'string' ? await this.resolve(specifier, importer, { skipSelf: true }) : null
    return target?.id === PKCS8_BUILT ? { id: PEM_MODULE, external: true } : null
  },
  renderDynamicImport: ({ targetModuleId }) =>
    targetModuleId === PEM_MODULE ? { left: 'import(new URL(', right: `, ${SCRIPT_URL}).href)` } : null,
}

/** The PEM module's error classes (src/errors.ts, by module id) are the script-tag build's own, read from the global. */
const ERRORS_SOURCE = resolve('src/errors.ts')
const errorsFromGlobal = {
  name: 'errors-from-global',
  async resolveId(source, importer) {
    const target = importer ? await this.resolve(source, importer, { skipSelf: true }) : null
    return target?.id === ERRORS_SOURCE ? '\0nomyo-errors' : null
  },
  load: (id) => (id === '\0nomyo-errors' ? 'export const { KeyError, UnsupportedKeyError } = globalThis.NomyoSecure' : null),
}

/**
 * A CLI import of a library module outside src/cli resolves to that entry's built file in dist (an
 * external, imported from dist/cli/ by relative path), recognised by module id. Only the entries
 * above may be imported.
 */
const CLI_SOURCE = resolve('src/cli')
const entryBySource = new Map(Object.entries(entries).map(([name, file]) => [resolve(file), name]))
const libraryEntriesFromDist = {
  name: 'library-entries-from-dist',
  async resolveId(source, importer) {
    if (!importer?.startsWith(CLI_SOURCE) || !source.startsWith('.')) return null
    const target = await this.resolve(source, importer, { skipSelf: true })
    if (!target || target.external || target.id.startsWith(CLI_SOURCE)) return null
    const entry = entryBySource.get(target.id)
    if (!entry) throw new Error(`${importer} imports ${source}: the CLI may only import the library's entries`)
    return { id: `../${entry}.js`, external: 'absolute' }
  },
}

export default [
  {
    input: entries,
    external,
    output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'shared/[name]-[hash].js' },
    plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration: true, declarationDir: 'dist' })],
  },
  {
    // Everything in one file for pages and CDNs without a bundler: `import { ... } from './nomyo-secure.browser.min.js'`.
    input: 'dist/runtime/browser.js',
    // The PEM private-key codec is a lazily imported chunk beside it (see src/crypto/pkcs8-lazy.ts).
    // Chunks are named by their content hash alone: every import of one spells its name, and a
    // module name beside the hash cost 0.04 KB gzip of the initial download.
    output: {
      dir: 'dist',
      entryFileNames: 'nomyo-secure.browser.min.js',
      chunkFileNames: 'browser-chunks/[hash].min.js',
      format: 'esm',
      plugins: [minify(true)],
    },
    plugins: bundled(['browser']),
  },
  {
    // <script src="nomyo-secure.iife.min.js"></script> then `new NomyoSecure.SecureChatCompletion(...)`.
    // As in the ESM build, the PEM private-key codec loads on first use: from the sibling file
    // nomyo-secure.pem.min.js, found next to this script's own URL.
    input: 'dist/runtime/browser.js',
    output: {
      file: 'dist/nomyo-secure.iife.min.js',
      format: 'iife',
      name: 'NomyoSecure',
      inlineDynamicImports: true,
      // The namespace objects of the inlined lazy modules are internal (the transport reads one
      // member of each): no Object.freeze around them.
      freeze: false,
      intro: `const ${SCRIPT_URL} = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : globalThis.location?.href;`,
      plugins: [minify(false)],
    },
    plugins: [pemCodecFromSiblingFile, ...bundled(['browser'])],
  },
  {
    // The PEM codec for the script-tag build: an ES module that takes the error classes from the
    // NomyoSecure global, so `instanceof NomyoSecure.KeyError` holds for what it throws.
    input: 'src/crypto/pkcs8.ts',
    output: { file: `dist/${PEM_MODULE}`, format: 'esm', plugins: [minify(true)] },
    plugins: [errorsFromGlobal, typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration: false })],
  },
  {
    // `import { SecureChatCompletion } from './nomyo-secure.deno.min.js'` (or its URL) in a Deno
    // script: the Deno entry with key files and no node_modules (typed use: npm:nomyo-secure).
    input: 'dist/runtime/deno.js',
    output: { file: 'dist/nomyo-secure.deno.min.js', format: 'esm', inlineDynamicImports: true, plugins: [minify(true)] },
    plugins: bundled(['deno']),
  },
  {
    // The command-line tools (src/cli, typed with Node's types): Node programs that run on the
    // library build above through its public entries, so no copy of the library is bundled in.
    input: { 'cli/nomyo-secure': 'src/cli/nomyo-secure.ts', 'cli/nomyo-secure-router': 'src/cli/nomyo-secure-router.ts' },
    external,
    output: {
      dir: 'dist',
      format: 'esm',
      banner: '#!/usr/bin/env node',
      chunkFileNames: 'cli/[name]-[hash].js',
    },
    plugins: [
      libraryEntriesFromDist,
      typescript({ tsconfig: './src/cli/tsconfig.json', outDir: 'dist', noEmit: false, declaration: false }),
    ],
  },
]
