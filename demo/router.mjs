#!/usr/bin/env node
/**
 * `nomyo-secure-router` (`npm run demo`): a local NOMYO secure router for development. It serves
 * the protocol endpoints (`/pki/public_key`, `/v1/chat/secure_completion`) with the library's own
 * router handler, the demo chat page on the same origin, and answers from a labelled local
 * responder or from any OpenAI-compatible upstream. Run with --help for the options.
 */
import { createSecureRouter } from '../dist/router/index.js'
import { serve } from '../dist/runtime/node.js'
import { HELP, isLoopback, parseCli } from './cli-args.mjs'
import { loadOrCreateRouterKey } from './router-key.mjs'
import { localCompletion } from './local-responder.mjs'
import { upstreamCompletion } from './upstream.mjs'
import { recordRouterEvent, withRequestLog } from './request-log.mjs'
import { checkSiteFiles, serveSite } from './site.mjs'
import { hostGuard } from './host-guard.mjs'

const log = (line) => console.log(line)
const warn = (line) => console.error(`warning: ${line}`)

async function main() {
  let options
  try {
    options = parseCli(process.argv.slice(2), process.env)
  } catch (error) {
    console.error(`nomyo-secure-router: ${error.message}\nRun with --help for the options.`)
    return 2
  }
  if (options.help) {
    log(HELP)
    return 0
  }

  await checkSiteFiles()
  const started = Date.now()
  const key = await loadOrCreateRouterKey(options.keyFile, { warn })
  const complete = options.upstream
    ? upstreamCompletion({ url: options.upstream, apiKey: options.upstreamKey, timeoutMs: options.upstreamTimeoutMs })
    : async (request, context) => localCompletion(request, context)
  const router = createSecureRouter({
    keyPair: key.keyPair,
    complete,
    apiKey: options.apiKey,
    corsOrigin: options.corsOrigin,
    onRequest: recordRouterEvent,
  })
  const guard = hostGuard(options.host)
  const handler = withRequestLog(async (request) => guard(request) ?? (await serveSite(request)) ?? router(request), log)

  let server
  try {
    server = await serve(handler, { port: options.port, host: options.host })
  } catch (error) {
    if (error.code === 'EADDRINUSE') throw new Error(`port ${options.port} is in use; choose another with --port (0 picks a free one)`)
    throw error
  }

  // One write, so whoever reads the first line (scripts, the e2e tests) also has the rest.
  log(
    [
      `nomyo-secure-router listening on ${server.url}`,
      `  Demo page:  ${server.url}/`,
      `  Router key: ${options.keyFile} (${key.created ? `generated in ${Date.now() - started} ms` : 'loaded'}), SHA-256 ${key.fingerprint}`,
      `  Answers:    ${options.upstream ? `forwarded to ${options.upstream}/chat/completions` : 'local demo responder (model "nomyo-local-echo"; --upstream URL for a real model)'}`,
      `  API key:    ${options.apiKey ? 'required' : 'not required (--api-key to require one)'}`,
      `  CORS:       ${options.corsOrigin ?? 'same origin only'}`,
      'Clients: baseUrl (or routerUrl) = the URL above, with allowHttp: true. Ctrl+C stops.',
    ].join('\n'),
  )
  if (!isLoopback(options.host)) warn(`listening on ${options.host}: other machines can reach this router over plain http`)
  if (options.upstream && new URL(options.upstream).protocol === 'http:' && !isLoopback(new URL(options.upstream).hostname)) {
    warn(`decrypted prompts travel to ${new URL(options.upstream).host} over plain http; use https:// for a remote upstream`)
  }

  let stopping = false
  const stop = () => {
    if (stopping) process.exit(130)
    stopping = true
    server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return undefined
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code
  },
  (error) => {
    console.error(`nomyo-secure-router: ${error.message}`)
    process.exitCode = 1
  },
)
