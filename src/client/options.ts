/** Checks of the options and arguments callers pass in; mistakes are `TypeError`s, unsafe URLs `SecurityError`s. */
import { SecurityError } from '../errors.js'
import { SECURITY_TIERS, type SecurityTier } from '../protocol/constants.js'

/**
 * Parses a router URL: https, or http only with `allowHttp` (local development). The result has no
 * trailing slash so paths can be appended.
 */
export function normalizeRouterUrl(url: unknown, allowHttp: boolean, option = 'routerUrl'): string {
  if (typeof url !== 'string' || !url) throw new TypeError(`${option} must be a non-empty URL string`)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TypeError(`${option} is not a valid URL`)
  }
  if (parsed.protocol === 'http:') {
    if (!allowHttp) {
      throw new SecurityError(`${option} uses plain http://; use https:// or set allowHttp: true for local development only`)
    }
  } else if (parsed.protocol !== 'https:') {
    throw new TypeError(`${option} must use https:// (got ${parsed.protocol})`)
  }
  if (parsed.username || parsed.password) throw new TypeError(`${option} must not contain credentials`)
  if (parsed.search || parsed.hash) throw new TypeError(`${option} must not contain a query or fragment`)
  return parsed.href.replace(/\/+$/, '')
}

/** Returns the tier when it is one of the protocol's, `undefined` when absent, else throws. */
export function checkSecurityTier(tier: unknown): SecurityTier | undefined {
  if (tier === undefined || tier === null) return undefined
  if (typeof tier === 'string' && (SECURITY_TIERS as readonly string[]).includes(tier)) return tier as SecurityTier
  throw new TypeError(`security_tier must be one of ${SECURITY_TIERS.map((t) => `"${t}"`).join(', ')}`)
}

/** API keys travel in a header: a string without line breaks. Its value is never echoed. */
export function checkApiKey(apiKey: unknown, option = 'apiKey'): string | undefined {
  if (apiKey === undefined || apiKey === null || apiKey === '') return undefined
  if (typeof apiKey !== 'string' || /[\r\n\0]/.test(apiKey)) throw new TypeError(`${option} must be a string without line breaks`)
  return apiKey
}

export function checkPositive(value: unknown, option: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`${option} must be a ${allowZero ? 'non-negative' : 'positive'} number`)
  }
  return value
}
