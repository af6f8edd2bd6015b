/** When to retry and how long to wait: exponential backoff with jitter, bounded, honoring Retry-After. */

/** Statuses that say "try again later": the request was not processed. 500 is not one of them. */
const RETRY_STATUSES = new Set([408, 429, 502, 503, 504])

/**
 * Whether an error answer may be retried. The router can decide with `x-should-retry: true|false`
 * (the header the `openai` package obeys); otherwise the status does.
 */
export function shouldRetry(status: number, headers: Headers): boolean {
  const verdict = headers.get('x-should-retry')
  return verdict === 'true' || (verdict !== 'false' && RETRY_STATUSES.has(status))
}

const BASE_DELAY_MS = 500
const MAX_BACKOFF_MS = 8_000
/** A server asking for a longer pause than this gets its error surfaced instead of a silent wait. */
export const MAX_RETRY_AFTER_MS = 60_000

/**
 * Milliseconds to wait before retry number `attempt + 1`, or `undefined` when the server asked for
 * a pause longer than {@link MAX_RETRY_AFTER_MS}.
 */
export function retryDelay(attempt: number, retryAfterMs?: number): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= MAX_RETRY_AFTER_MS ? retryAfterMs : undefined
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt)
  // Jitter spreads the retries of many clients that failed together; keep at least 3/4 of the backoff.
  return Math.round(backoff * (0.75 + Math.random() * 0.25))
}
