/**
 * Bundles a runner the way an app's bundler would for its target: `nomyo-secure` is resolved by
 * name through the package's export conditions (from an app directory's node_modules), and the
 * suite's TypeScript is only transpiled.
 */
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { rollup, type Plugin } from 'rollup'
import ts from 'typescript'

const transpile: Plugin = {
  name: 'transpile-ts',
  transform(code, id) {
    if (!id.endsWith('.ts')) return null
    const { outputText } = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    })
    return { code: outputText, map: null }
  },
}

/**
 * @param input the runner's entry file
 * @param conditions export conditions, most specific first (e.g. `['workerd', 'worker', 'browser']`)
 * @param nodeModules the app's node_modules, where `nomyo-secure` is linked
 * @returns the ESM code and the files it was made of
 */
export async function bundle(input: string, conditions: string[], nodeModules: string): Promise<{ code: string; modules: string[] }> {
  const build = await rollup({
    input,
    plugins: [
      nodeResolve({
        browser: conditions.includes('browser'),
        exportConditions: [...conditions, 'import', 'default'],
        modulePaths: [nodeModules],
      }),
      transpile,
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning)
    },
  })
  try {
    const { output } = await build.generate({ format: 'esm', inlineDynamicImports: true })
    return { code: output[0].code, modules: build.watchFiles }
  } finally {
    await build.close()
  }
}
