/**
 * Command-line options of `nomyo-secure proxy`: parsing, checking and the --help text. Secrets
 * (the router API key, the local token) can come from the environment instead of argv, where other
 * local users could read them in `ps`.
 */
import { parseArgs } from 'node:util'
import { httpUrl, nonEmpty, origin, port, seconds, secret } from '../shared/option-checks.js'

/**
 * The proxy's port: next to the dev router's 12434 and the NOMYO router's 12435, so all three can run
 * on one machine with their defaults.
 */
export const DEFAULT_PORT = 12436
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_TIMEOUT_S = 300
const TIERS = ['standard', 'high', 'maximum'] as const
const KEY_BINDINGS = ['auto', 'require', 'off'] as const

export const HELP = `nomyo-secure proxy: a local OpenAI-compatible endpoint that seals every chat completion end to end
to a NOMYO secure router. Point any OpenAI client at http://127.0.0.1:${DEFAULT_PORT}/v1.

Usage: nomyo-secure proxy [options]

Options:
  --router URL           The NOMYO router (or set NOMYO_BASE_URL; default: the library's,
                         https://api.nomyo.ai:12435)
  --api-key KEY          The router's API key (or set NOMYO_API_KEY)
  --pin SHA256           Router key fingerprint to require (hex of the SPKI DER); repeatable
  --router-key-file PATH The router's public key PEM, known in advance: never fetched
  --key-dir DIR          Keep the client key in DIR (private_key.pem, mode 0600) across restarts;
                         NOMYO_KEY_PASSWORD encrypts it. Default: a new key in memory per start
  --security-tier TIER   Default tier: standard, high or maximum (a request's X-Security-Tier overrides)
  --key-binding MODE     auto (default), require or off: seal the answer key and payload id into
                         each request where the router offers it (require: refuse routers that do not)
  --timeout S            Seconds to wait for the router before answering 504 (default ${DEFAULT_TIMEOUT_S})
  --port N               Port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host HOST            Interface to bind (default ${DEFAULT_HOST}: this machine only)
  --local-token TOKEN    Local clients must send "Authorization: Bearer TOKEN" (or set NOMYO_PROXY_TOKEN)
  --pass-api-key         Use the local client's bearer token as the router API key (not with --local-token)
  --cors-origin ORIGIN   Let pages on ORIGIN call the proxy (default: no CORS; pages cannot)
  -h, --help             Show this help

Requests are logged one line each (method, path, status, sizes, time), never their content.`

/** What the proxy was asked to do. */
export type ProxyCliOptions = { help: true } | ({ help: false } & ProxySettings)

export interface ProxySettings {
  port: number
  host: string
  router: string | undefined
  apiKey: string | undefined
  pins: string[]
  routerKeyFile: string | undefined
  keyDir: string | undefined
  keyPassword: string | undefined
  securityTier: 'standard' | 'high' | 'maximum' | undefined
  keyBinding: 'auto' | 'require' | 'off' | undefined
  timeoutMs: number
  localToken: string | undefined
  passApiKey: boolean
  corsOrigin: string | undefined
}

/** Parses argv (after `proxy`). Throws an Error with a message for the user; never echoes a secret. */
export function parseProxyCli(argv: string[], env: Record<string, string | undefined> = {}): ProxyCliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      router: { type: 'string' },
      'api-key': { type: 'string' },
      pin: { type: 'string', multiple: true },
      'router-key-file': { type: 'string' },
      'key-dir': { type: 'string' },
      'security-tier': { type: 'string' },
      'key-binding': { type: 'string' },
      timeout: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'local-token': { type: 'string' },
      'pass-api-key': { type: 'boolean' },
      'cors-origin': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const localToken = secret(values['local-token'] ?? env.NOMYO_PROXY_TOKEN, '--local-token')
  const passApiKey = values['pass-api-key'] === true
  if (localToken && passApiKey) {
    throw new Error('--local-token and --pass-api-key both use the bearer header; choose one')
  }
  return {
    help: false,
    port: port(values.port, DEFAULT_PORT),
    host: nonEmpty(values.host ?? DEFAULT_HOST, '--host'),
    router: router(values.router ?? env.NOMYO_BASE_URL),
    apiKey: secret(values['api-key'] ?? env.NOMYO_API_KEY, '--api-key'),
    pins: (values.pin ?? []).map(pin),
    routerKeyFile: values['router-key-file'] === undefined ? undefined : nonEmpty(values['router-key-file'], '--router-key-file'),
    keyDir: values['key-dir'] === undefined ? undefined : nonEmpty(values['key-dir'], '--key-dir'),
    keyPassword: secret(env.NOMYO_KEY_PASSWORD, 'NOMYO_KEY_PASSWORD'),
    securityTier: oneOf(values['security-tier'], TIERS, '--security-tier'),
    keyBinding: oneOf(values['key-binding'], KEY_BINDINGS, '--key-binding'),
    timeoutMs: seconds(values.timeout, '--timeout', DEFAULT_TIMEOUT_S) * 1000,
    localToken,
    passApiKey,
    corsOrigin:
      values['cors-origin'] === undefined || values['cors-origin'] === 'none' ? undefined : origin(values['cors-origin'], '--cors-origin'),
  }
}

function router(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : httpUrl(text, '--router', 'https://api.nomyo.ai:12435', '--api-key')
}

/** A SHA-256 fingerprint: 64 hex digits, colons allowed, compared in lowercase. */
function pin(text: string): string {
  const hex = text.replace(/:/g, '').toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('--pin must be a SHA-256 fingerprint: 64 hex digits')
  return hex
}

function oneOf<T extends string>(text: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (text === undefined) return undefined
  if (!(allowed as readonly string[]).includes(text)) throw new Error(`${option} must be one of ${allowed.join(', ')}`)
  return text as T
}
