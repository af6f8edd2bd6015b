/**
 * A command-line tool of this package run as a child process for a test: it resolves once the tool
 * prints its banner (`listening on URL` … `Ctrl+C stops.`), keeps everything it writes (to check the
 * request log and that no plaintext is in it), and stops it (SIGTERM, then SIGKILL after 5 s).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { REPO_ROOT } from './static-server.js'

export interface CliProcess {
  url: string
  /** Everything the tool wrote so far, stdout and stderr interleaved. */
  output(): string
  /** The request log lines so far (one per request). */
  logLines(): string[]
  /**
   * The log lines once there are `count` of them: a line is written when its answer has been sent,
   * so it may reach the test's pipe just after the answer itself.
   */
  waitForLogLines(count: number): Promise<string[]>
  /** Resolves once the process has exited. */
  stop(): Promise<void>
  child: ChildProcess
}

/** Starts `command args` in the repository with exactly `env`; `name` is the tool in error messages. */
export function startCliProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliProcess> {
  const child = spawn(command, args, { cwd: REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`${name} did not start within ${options.timeoutMs} ms:\n${output}`))
    }, options.timeoutMs)
    const check = () => {
      // The banner ends with "Ctrl+C stops."; the URL is on its first line.
      const match = /listening on (http:\/\/\S+)[\s\S]*Ctrl\+C stops\./.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      const logLines = () => output.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
      const waitForLogLines = async (count: number) => {
        for (let waited = 0; logLines().length < count && waited < 5000; waited += 20) {
          await new Promise((done) => setTimeout(done, 20))
        }
        return logLines()
      }
      resolve({ url: match[1]!, output: () => output, logLines, waitForLogLines, stop, child })
    }
    child.stdout.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before listening:\n${output}`))
    })
  })
}
