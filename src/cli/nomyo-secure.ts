/**
 * The `nomyo-secure` bin: `nomyo-secure proxy` (a local OpenAI-compatible endpoint that seals every
 * request to a NOMYO router) and `nomyo-secure router` (the dev router with the demo page).
 */
import { runProxy } from './proxy/main.js'
import { runRouter } from './router/main.js'
import { runCommand, type Command } from './shared/process.js'

const USAGE = `Usage: nomyo-secure <command> [options]

Commands:
  proxy     A local OpenAI-compatible endpoint on 127.0.0.1 that seals every chat completion
            to a NOMYO router (nomyo-secure proxy --help)
  router    A local NOMYO secure router and an encrypted chat page, for development
            (nomyo-secure router --help)

Run a command with --help for its options.`

const COMMANDS: Record<string, Command> = { proxy: runProxy, router: runRouter }

const [name, ...rest] = process.argv.slice(2)
const command = name === undefined ? undefined : COMMANDS[name]
if (command) {
  runCommand(`nomyo-secure ${name}`, command, rest)
} else {
  const asked = name === '-h' || name === '--help'
  ;(asked ? console.log : console.error)(name === undefined || asked ? USAGE : `nomyo-secure: unknown command "${name}"\n\n${USAGE}`)
  process.exitCode = asked ? 0 : 2
}
