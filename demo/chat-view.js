// How the demo page shows things: chat bubbles, the facts under an answer, the wire package,
// fingerprints and errors. DOM only through textContent: nothing received is parsed as HTML.

/** Appends a bubble to `list`; `kind` is "user", "assistant", "assistant pending" or "error". */
export function addBubble(list, kind, text) {
  const item = document.createElement('li')
  item.className = `msg ${kind}`
  const who = document.createElement('div')
  who.className = 'who'
  who.textContent = kind.startsWith('user') ? 'You' : 'Assistant'
  const body = document.createElement('div')
  body.className = 'text'
  body.textContent = text
  item.append(who, body)
  list.append(item)
  return item
}

/** The line under an answer: bytes on the wire both ways, round trip, model, tokens. */
export function metaLine(completion, ms, exchange) {
  const facts = [
    `sealed request ${bytes(exchange.sentBytes)}`,
    `sealed answer ${bytes(exchange.receivedBytes)}`,
    `round trip ${ms} ms`,
    completion.model,
  ]
  if (completion.usage) facts.push(`${completion.usage.total_tokens} tokens`)
  if (exchange.attempts > 1) facts.push('resent after a router key change')
  const meta = document.createElement('div')
  meta.className = 'meta'
  meta.textContent = facts.join(' · ')
  return meta
}

/**
 * Whether the exchange was key-bound (SECURITY.md, "Key binding"): request and answer sealed to
 * this payload id and this page's key, so no middle box could swap the answer key or replay an answer.
 */
export function bindingBadge(completion) {
  const bound = completion._metadata?.key_bound === true
  const badge = document.createElement('div')
  badge.className = `binding badge ${bound ? 'ok' : 'warn'}`
  badge.dataset.bound = String(bound)
  badge.textContent = bound
    ? 'key-bound: the answer could only be for this request and this key'
    : 'not key-bound (the router does not offer it)'
  return badge
}

/** The request package as it went over the wire, long base64 fields shortened. */
export function wireDetails(packageText = '') {
  const details = document.createElement('details')
  const summary = document.createElement('summary')
  summary.textContent = 'What left the browser'
  const pre = document.createElement('pre')
  let text = packageText
  try {
    text = JSON.stringify(
      JSON.parse(text),
      (_key, value) => (typeof value === 'string' && value.length > 44 ? `${value.slice(0, 40)}… (${value.length} chars)` : value),
      2,
    )
  } catch {}
  pre.textContent = text
  details.append(summary, pre)
  return details
}

/** Shows the first half of a SHA-256 fingerprint in groups; the whole one is in the title and data-fingerprint. */
export function showFingerprint(element, fingerprint) {
  element.dataset.fingerprint = fingerprint
  element.title = `SHA-256 ${fingerprint}`
  element.textContent = `${fingerprint.slice(0, 32).match(/.{4}/g).join(' ')} …`
}

/** A title and a sentence for an error, keyed on the library's stable error codes (class names are minified). */
export function describeError(error) {
  const hints = {
    ERR_AUTHENTICATION: ['Wrong API key', 'Check the API key field: this router was started with --api-key.'],
    ERR_CONNECTION: ['Router unreachable', 'Is the router running? Start it again (npm run demo) and resend.'],
    ERR_TIMEOUT: ['Timed out', 'The router did not answer in time.'],
    ERR_FORBIDDEN: ['Not allowed', 'Try another model or security tier.'],
    ERR_SERVICE_UNAVAILABLE: ['Model unavailable', 'The router cannot reach its model server.'],
    ERR_SECURITY: ['Security check failed', ''],
  }
  const [title, hint] = hints[error?.code] ?? [error?.name || 'Error', '']
  const message = error?.message ?? String(error)
  return { title, text: hint ? `${message}\n${hint}` : message }
}

export function byteLength(body) {
  if (typeof body === 'string') return new TextEncoder().encode(body).length
  return body?.byteLength ?? 0
}

export function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')
}

function bytes(n) {
  return `${(n ?? 0).toLocaleString('en-US')} B`
}
