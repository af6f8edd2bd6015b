/** What every CLI command does around its work: output, exit codes, stopping on Ctrl+C. */

export const log = (line: string): void => console.log(line)
export const warn = (line: string): void => console.error(`warning: ${line}`)

/** A command: resolves to an exit code when it is done, or to undefined while it keeps serving. */
export type Command = (argv: string[], env: Record<string, string | undefined>) => Promise<number | undefined>

/** Runs `command` with this process's arguments; a thrown error ends it with code 1 and its message. */
export function runCommand(name: string, command: Command, argv: string[]): void {
  command(argv, process.env).then(
    (code) => {
      if (code !== undefined) process.exitCode = code
    },
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
    },
  )
}

/** Closes `server` on SIGINT/SIGTERM, then exits; a second signal exits at once. */
export function stopOnSignals(server: { close(): Promise<void> }): void {
  let stopping = false
  const stop = () => {
    if (stopping) process.exit(130)
    stopping = true
    server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Starts listening, turning "port in use" into advice. */
export async function listen<T>(start: () => Promise<T>, port: number): Promise<T> {
  try {
    return await start()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is in use; choose another with --port (0 picks a free one)`)
    }
    throw error
  }
}
