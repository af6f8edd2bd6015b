/**
 * `nomyo-secure router` (`nomyo-secure-router`, `npm run demo`): a local NOMYO secure router for
 * development. It serves the protocol endpoints (`/pki/public_key`, `/v1/chat/secure_completion`)
 * with the library's own router handler, the demo chat page on the same origin, and answers from a
 * labelled local responder or from any OpenAI-compatible upstream. Run with --help for the options.
 */
import { createSecureRouter } from '../../router/index.js'
import { serve } from '../../runtime/node.js'
import { isLoopback } from '../shared/loopback.js'
import { listen, log, stopOnSignals, warn, type Command } from '../shared/process.js'
import { recordTraffic, withRequestLog } from '../shared/request-log.js'
import { hostGuard } from './host-guard.js'
import { localCompletion } from './local-responder.js'
import { HELP, parseRouterCli } from './options.js'
import { loadOrCreateRouterKey } from './router-key.js'
import { checkSiteFiles, serveSite } from './site.js'
import { upstreamCompletion } from './upstream.js'

export const runRouter: Command = async (argv, env) => {
  let options: ReturnType<typeof parseRouterCli>
  try {
    options = parseRouterCli(argv, env)
  } catch (error) {
    console.error(`nomyo-secure-router: ${(error as Error).message}\nRun with --help for the options.`)
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
    : async (request: Parameters<typeof localCompletion>[0], context: { securityTier?: string | undefined }) =>
        localCompletion(request, context)
  const router = createSecureRouter({
    keyPair: key.keyPair,
    complete,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.corsOrigin ? { corsOrigin: options.corsOrigin } : {}),
    onRequest: recordTraffic,
  })
  const guard = hostGuard(options.host)
  const handler = withRequestLog(async (request) => guard(request) ?? (await serveSite(request)) ?? router(request), log)
  const { host, port } = options
  const server = await listen(() => serve(handler, { port, host }), port)

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
  stopOnSignals(server)
  return undefined
}
