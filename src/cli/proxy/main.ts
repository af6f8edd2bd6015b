/**
 * `nomyo-secure proxy`: a local OpenAI-compatible endpoint. Any OpenAI client (curl, Python's
 * `openai`, LangChain, editors with a base-URL setting) talks plain JSON to it on this machine; each
 * chat completion leaves sealed to the NOMYO router and its answer is opened here. Runs with Node,
 * Deno and Bun. Run with --help for the options.
 */
import { readFile } from 'node:fs/promises'
import { createSecureFetch, type SecureFetchOptions } from '../../runtime/node.js'
import { isLoopback } from '../shared/loopback.js'
import { listen, log, stopOnSignals, warn, type Command } from '../shared/process.js'
import { withRequestLog } from '../shared/request-log.js'
import { serveBounded } from './bounded-server.js'
import { createProxyHandler } from './handler.js'
import { HELP, parseProxyCli, type ProxySettings } from './options.js'
import { pemFingerprint } from './router-info.js'

/** The protocol's limit on a sealed request's plaintext: a bigger body could not be sent anyway. */
const MAX_BODY_BYTES = 10 * 1024 * 1024

export const runProxy: Command = async (argv, env) => {
  let options: ReturnType<typeof parseProxyCli>
  try {
    options = parseProxyCli(argv, env)
  } catch (error) {
    console.error(`nomyo-secure proxy: ${(error as Error).message}\nRun with --help for the options.`)
    return 2
  }
  if (options.help) {
    log(HELP)
    return 0
  }

  const routerPublicKey = options.routerKeyFile ? await readRouterKey(options.routerKeyFile) : undefined
  const secureFetch = createSecureFetch(fetchOptions(options, routerPublicKey))
  // The client key is made (or loaded from --key-dir) now, not on the first request.
  const client = await secureFetch.client.publicKey()
  const routerUrl = secureFetch.client.routerUrl

  const handler = createProxyHandler({ ...options, secureFetch })
  const logged = withRequestLog(handler.handle, log)
  const { host, port } = options
  // A refused body is logged like every request, and never reaches the routes.
  const refused = (request: Request, response: Response) => withRequestLog(async () => handler.refuse(request, response), log)(request)
  const server = await listen(() => serveBounded(logged, { port, host, maxBodyBytes: MAX_BODY_BYTES, refused }), port)

  log(
    [
      `nomyo-secure proxy listening on ${server.url}`,
      `  OpenAI base URL: ${server.url}/v1`,
      `  Router:          ${routerUrl}${routerPublicKey ? ` (key from ${options.routerKeyFile}, SHA-256 ${await pemFingerprint(routerPublicKey)})` : ''}`,
      `  Router API key:  ${options.passApiKey ? "the local client's bearer token" : options.apiKey ? 'set' : 'none (--api-key or NOMYO_API_KEY)'}`,
      `  Pinned keys:     ${options.pins.length || 'none (--pin SHA256)'}`,
      `  Key binding:     ${options.keyBinding ?? 'auto'}`,
      `  Client key:      ${options.keyDir ? `${options.keyDir} (kept across restarts)` : 'in memory (new each start; --key-dir DIR keeps it)'}, SHA-256 ${client.fingerprint}`,
      `  Local token:     ${options.localToken ? 'required' : 'not required (--local-token to require one)'}`,
      `  CORS:            ${options.corsOrigin ?? 'off'}`,
      'Ctrl+C stops.',
    ].join('\n'),
  )
  if (!isLoopback(host)) {
    warn(
      `listening on ${host}: other machines can reach this proxy, and through it your router API key${options.localToken ? '' : '; set --local-token'}`,
    )
  }
  stopOnSignals(server)
  return undefined
}

function fetchOptions(options: ProxySettings, routerPublicKey: string | undefined): SecureFetchOptions {
  // The API key is always given, even as undefined: the library's own default (NOMYO_API_KEY) must
  // not replace the local client's key under --pass-api-key. The parser already read the variable.
  const settings: SecureFetchOptions = { timeout: options.timeoutMs, apiKey: options.passApiKey ? undefined : options.apiKey }
  if (options.router) {
    settings.baseUrl = options.router
    // A router on this machine (the dev router, tests) may speak http; any other must use https,
    // or the API key and the request metadata would travel in the clear.
    const url = new URL(options.router)
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) throw new Error('--router must be https:// unless it runs on this machine')
    settings.allowHttp = url.protocol === 'http:'
  }
  if (options.pins.length > 0) settings.routerKeyPins = options.pins
  if (routerPublicKey) settings.routerPublicKey = routerPublicKey
  if (options.keyDir) settings.keyDir = options.keyDir
  if (options.keyPassword) settings.keyPassword = options.keyPassword
  if (options.securityTier) settings.securityTier = options.securityTier
  if (options.keyBinding) settings.keyBinding = options.keyBinding
  return settings
}

async function readRouterKey(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`Cannot read --router-key-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
}
