// Builds the npm package: one ESM module per entry (dependencies left to the consumer's bundler)
// plus the type declarations beside them.
import typescript from '@rollup/plugin-typescript'

const entries = {
  index: 'src/index.ts',
  'runtime/node': 'src/runtime/node.ts',
  'router/index': 'src/router/index.ts',
}

const external = (id) => id === 'ofetch' || id === 'valibot' || id.startsWith('node:')

export default [
  {
    input: entries,
    external,
    output: {
      dir: 'dist',
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: 'shared/[name]-[hash].js',
    },
    plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration: true, declarationDir: 'dist' })],
  },
]
