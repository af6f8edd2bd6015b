/**
 * Checks shared by the CLIs' option parsers. Each throws an Error with a message for the user that
 * names the option and never echoes a secret value.
 */

/** A TCP port from 0 (any free port) to 65535; `fallback` when absent. */
export function port(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || value > 65535) throw new Error('--port must be a number from 0 to 65535')
  return value
}

export function nonEmpty(text: string, option: string): string {
  if (!text) throw new Error(`${option} must not be empty`)
  return text
}

/** A secret that goes into an HTTP header: absent when empty; a line break would split the header. */
export function secret(text: string | undefined, option: string): string | undefined {
  if (text === undefined || text === '') return undefined
  if (/[\r\n\0]/.test(text)) throw new Error(`${option} must not contain line breaks`)
  return text
}

/** A positive number of seconds; `fallback` when absent. */
export function seconds(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option} must be a positive number of seconds`)
  return value
}

/** An http(s) URL without credentials, query or fragment, returned without trailing slashes. */
export function httpUrl(text: string, option: string, example: string, keyOption: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`${option} must be a URL such as ${example}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${option} must be an http:// or https:// URL`)
  if (url.username || url.password) throw new Error(`${option} must not contain credentials; use ${keyOption}`)
  if (url.search || url.hash) throw new Error(`${option} must not contain a query or fragment`)
  return url.href.replace(/\/+$/, '')
}

/** A browser origin (scheme, host and port only), or `*`. */
export function origin(text: string, option: string): string {
  if (text === '*') return text
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`${option} must be "*", "none" or an origin such as http://localhost:5173`)
  }
  if (url.origin === 'null' || url.origin !== text.replace(/\/$/, '')) {
    throw new Error(`${option} must be an origin only (scheme, host and port), such as http://localhost:5173`)
  }
  return url.origin
}
