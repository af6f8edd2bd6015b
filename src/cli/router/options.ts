/**
 * Command-line options of `nomyo-secure router` (`nomyo-secure-router`): parsing, checking and the
 * --help text. Secrets can come from the environment instead of argv, where other local users could
 * read them in `ps`.
 */
import { parseArgs } from 'node:util'
import { httpUrl, nonEmpty, origin, port, seconds, secret } from '../shared/option-checks.js'

export const DEFAULT_PORT = 12434
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_KEY_FILE = '.nomyo-dev/router_key.pem'
export const DEFAULT_UPSTREAM_TIMEOUT_S = 120

export const HELP = `nomyo-secure-router: a local NOMYO secure router and an encrypted chat page, for development.

Usage: nomyo-secure-router [options]        (also: nomyo-secure router; in this repository: npm run demo)

Options:
  --port N               Port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host HOST            Interface to bind (default ${DEFAULT_HOST}: this machine only)
  --key-file PATH        Router RSA private key, PKCS#8 PEM (default ${DEFAULT_KEY_FILE});
                         generated (RSA-4096, mode 0600) on first start and reused afterwards
  --api-key KEY          Require "Authorization: Bearer KEY" (or set NOMYO_ROUTER_API_KEY)
  --upstream URL         Forward decrypted requests to POST URL/chat/completions of an
                         OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (Ollama)
  --upstream-key KEY     Bearer key for the upstream (or set NOMYO_UPSTREAM_KEY)
  --upstream-timeout S   Seconds to wait for the upstream before answering 504 (default ${DEFAULT_UPSTREAM_TIMEOUT_S})
  --cors-origin ORIGIN   Browser origin allowed to call the router from another page: "*", one
                         origin such as http://localhost:5173, or "none". Default: "*" with the
                         local responder, "none" with --upstream (a page you visit must not be
                         able to spend your upstream)
  -h, --help             Show this help

Without --upstream, a built-in local responder answers (model "nomyo-local-echo"): offline, no model needed.
Requests are logged one line each, without any plaintext.`

/** What the router CLI was asked to do. */
export type RouterCliOptions =
  | { help: true }
  | {
      help: false
      port: number
      host: string
      keyFile: string
      apiKey: string | undefined
      upstream: string | undefined
      upstreamKey: string | undefined
      upstreamTimeoutMs: number
      corsOrigin: string | undefined
    }

/**
 * Parses argv (without the node and script paths). Throws an Error with a message for the user on
 * a bad option; never echoes a secret value.
 */
export function parseRouterCli(argv: string[], env: Record<string, string | undefined> = {}): RouterCliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'key-file': { type: 'string' },
      'api-key': { type: 'string' },
      upstream: { type: 'string' },
      'upstream-key': { type: 'string' },
      'upstream-timeout': { type: 'string' },
      'cors-origin': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const upstream =
    values.upstream === undefined ? undefined : httpUrl(values.upstream, '--upstream', 'http://127.0.0.1:11434/v1', '--upstream-key')
  return {
    help: false,
    port: port(values.port, DEFAULT_PORT),
    host: nonEmpty(values.host ?? DEFAULT_HOST, '--host'),
    keyFile: nonEmpty(values['key-file'] ?? DEFAULT_KEY_FILE, '--key-file'),
    apiKey: secret(values['api-key'] ?? env.NOMYO_ROUTER_API_KEY, '--api-key'),
    upstream,
    upstreamKey: secret(values['upstream-key'] ?? env.NOMYO_UPSTREAM_KEY, '--upstream-key'),
    upstreamTimeoutMs: seconds(values['upstream-timeout'], '--upstream-timeout', DEFAULT_UPSTREAM_TIMEOUT_S) * 1000,
    corsOrigin: corsOrigin(values['cors-origin'], upstream !== undefined),
  }
}

function corsOrigin(text: string | undefined, hasUpstream: boolean): string | undefined {
  if (text === undefined) return hasUpstream ? undefined : '*'
  if (text === 'none') return undefined
  return origin(text, '--cors-origin')
}
