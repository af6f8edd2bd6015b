/**
 * The version of nomyo-secure, kept equal to `package.json` (a test checks), like the reference
 * client's `__version__` and the `openai` package's `VERSION`.
 *
 * @example
 * ```ts
 * import { VERSION } from 'nomyo-secure'
 * logger.info(`nomyo-secure ${VERSION}`)
 * ```
 */
export const VERSION = '0.1.0'
