// Builds the npm package: one ESM module per entry (dependencies left to the consumer's bundler)
// plus type declarations, and the self-contained builds for use without a bundler (browser ESM,
// the <script> IIFE, and an ESM file for Deno scripts that import a URL or a vendored file).
import typescript from '@rollup/plugin-typescript'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

// Each runtime entry is what one export condition of package.json points at.
const entries = {
  index: 'src/index.ts',
  'runtime/browser': 'src/runtime/browser.ts',
  'runtime/workers': 'src/runtime/workers.ts',
  'runtime/deno': 'src/runtime/deno.ts',
  'runtime/bun': 'src/runtime/bun.ts',
  'runtime/node': 'src/runtime/node.ts',
  'router/index': 'src/router/index.ts',
}

const external = (id) => id === 'valibot' || id.startsWith('node:')

// Self-contained builds start from the library build above (rollup runs the configs in order, so
// TypeScript compiles once) and resolve valibot as a bundler targeting `conditions` would.
const bundled = (conditions) => [nodeResolve({ browser: conditions.includes('browser'), exportConditions: [...conditions, 'import', 'default'] })]
// Error classes report `name = new.target.name`: minifying must not rename them.
const minify = (module) => terser({ ecma: 2020, module, keep_classnames: true, compress: { passes: 2 }, format: { comments: false } })

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
    output: { dir: 'dist', entryFileNames: 'nomyo-secure.browser.min.js', chunkFileNames: 'browser-chunks/[name]-[hash].min.js', format: 'esm', plugins: [minify(true)] },
    plugins: bundled(['browser']),
  },
  {
    // <script src="nomyo-secure.iife.min.js"></script> then `new NomyoSecure.SecureChatCompletion(...)`.
    input: 'dist/runtime/browser.js',
    output: { file: 'dist/nomyo-secure.iife.min.js', format: 'iife', name: 'NomyoSecure', inlineDynamicImports: true, plugins: [minify(false)] },
    plugins: bundled(['browser']),
  },
  {
    // `import { SecureChatCompletion } from './nomyo-secure.deno.min.js'` (or its URL) in a Deno
    // script: the Deno entry with key files and no node_modules (typed use: npm:nomyo-secure).
    input: 'dist/runtime/deno.js',
    output: { file: 'dist/nomyo-secure.deno.min.js', format: 'esm', inlineDynamicImports: true, plugins: [minify(true)] },
    plugins: bundled(['deno']),
  },
]
