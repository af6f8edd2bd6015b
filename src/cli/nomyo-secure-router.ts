/** The `nomyo-secure-router` bin: the dev router, as `nomyo-secure router` runs it. */
import { runRouter } from './router/main.js'
import { runCommand } from './shared/process.js'

runCommand('nomyo-secure-router', runRouter, process.argv.slice(2))
