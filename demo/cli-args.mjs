/**
 * Command-line options of `nomyo-secure-router`: parsing, checking and the --help text. Secrets can
 * come from the environment instead of argv, where other local users could read them in `ps`.
 */
import { parseArgs } from 'node:util'

export const DEFAULT_PORT = 12434
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_KEY_FILE = '.nomyo-dev/router_key.pem'
export const DEFAULT_UPSTREAM_TIMEOUT_S = 120

export const HELP = `nomyo-secure-router: a local NOMYO secure router and an encrypted chat page, for development.

Usage: nomyo-secure-router [options]        (in this repository: npm run demo)

Options:
  --port N               Port to listen on (default ${DEFAULT_PORT}, the NOMYO router's; 0 = any free port)
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

/**
 * Parses argv (without the node and script paths). Throws an Error with a message for the user on
 * a bad option; never echoes a secret value.
 */
export function parseCli(argv, env = {}) {
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
  const upstream = values.upstream === undefined ? undefined : upstreamUrl(values.upstream)
  return {
    help: false,
    port: port(values.port),
    host: nonEmpty(values.host ?? DEFAULT_HOST, '--host'),
    keyFile: nonEmpty(values['key-file'] ?? DEFAULT_KEY_FILE, '--key-file'),
    apiKey: secret(values['api-key'] ?? env.NOMYO_ROUTER_API_KEY, '--api-key'),
    upstream,
    upstreamKey: secret(values['upstream-key'] ?? env.NOMYO_UPSTREAM_KEY, '--upstream-key'),
    upstreamTimeoutMs: seconds(values['upstream-timeout'], '--upstream-timeout') * 1000,
    corsOrigin: corsOrigin(values['cors-origin'], upstream !== undefined),
  }
}

function port(text) {
  if (text === undefined) return DEFAULT_PORT
  const value = Number(text)
  if (!/^\d+$/.test(text) || value > 65535) throw new Error('--port must be a number from 0 to 65535')
  return value
}

function nonEmpty(text, option) {
  if (!text) throw new Error(`${option} must not be empty`)
  return text
}

function secret(text, option) {
  if (text === undefined || text === '') return undefined
  // The value goes into an HTTP header; a line break would split it.
  if (/[\r\n\0]/.test(text)) throw new Error(`${option} must not contain line breaks`)
  return text
}

function seconds(text, option) {
  if (text === undefined) return DEFAULT_UPSTREAM_TIMEOUT_S
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option} must be a positive number of seconds`)
  return value
}

function upstreamUrl(text) {
  let url
  try {
    url = new URL(text)
  } catch {
    throw new Error('--upstream must be a URL such as http://127.0.0.1:11434/v1')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--upstream must be an http:// or https:// URL')
  if (url.username || url.password) throw new Error('--upstream must not contain credentials; use --upstream-key')
  if (url.search || url.hash) throw new Error('--upstream must not contain a query or fragment')
  return url.href.replace(/\/+$/, '')
}

function corsOrigin(text, hasUpstream) {
  if (text === undefined) return hasUpstream ? undefined : '*'
  if (text === 'none') return undefined
  if (text === '*') return text
  let url
  try {
    url = new URL(text)
  } catch {
    throw new Error('--cors-origin must be "*", "none" or an origin such as http://localhost:5173')
  }
  if (url.origin === 'null' || url.origin !== text.replace(/\/$/, '')) {
    throw new Error('--cors-origin must be an origin only (scheme, host and port), such as http://localhost:5173')
  }
  return url.origin
}

/** Whether `host` names this machine only (the demo's intended setup). */
export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
}
