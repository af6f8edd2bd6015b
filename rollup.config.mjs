// Builds the npm package: one ESM module per entry (dependencies left to the consumer's bundler)
// plus type declarations, and the self-contained browser builds (ESM and the <script> IIFE).
import typescript from '@rollup/plugin-typescript'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

const entries = {
  index: 'src/index.ts',
  'runtime/node': 'src/runtime/node.ts',
  'runtime/browser': 'src/runtime/browser.ts',
  'router/index': 'src/router/index.ts',
}

const external = (id) => id === 'ofetch' || id === 'valibot' || id.startsWith('node:')

const bundled = (declaration = false) => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }),
  typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration, ...(declaration ? { declarationDir: 'dist' } : {}) }),
]
const minify = terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } })

export default [
  {
    input: entries,
    external,
    output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'shared/[name]-[hash].js' },
    plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration: true, declarationDir: 'dist' })],
  },
  {
    // Everything in one file for pages and CDNs without a bundler: `import { ... } from './nomyo-secure.browser.min.js'`.
    input: 'src/runtime/browser.ts',
    output: { file: 'dist/nomyo-secure.browser.min.js', format: 'esm', plugins: [minify] },
    plugins: bundled(),
  },
  {
    // <script src="nomyo-secure.iife.min.js"></script> then `new NomyoSecure.SecureChatCompletion(...)`.
    input: 'src/runtime/browser.ts',
    output: { file: 'dist/nomyo-secure.iife.min.js', format: 'iife', name: 'NomyoSecure', plugins: [terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: false } })] },
    plugins: bundled(),
  },
]
