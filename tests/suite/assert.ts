/**
 * The few assertions the shared suite needs. No test framework inside: the same code runs under
 * vitest, Deno, Bun, workerd and Chromium, and only the runners know how to report.
 */

export class AssertionError extends Error {
  override name = 'AssertionError'
}

/** Short, safe rendering for messages (the 1 MiB vector must not end up in a report). */
function show(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : show(error)
}

export function ok(value: unknown, message: string): asserts value {
  if (!value) throw new AssertionError(message)
}

export function equal<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  if (!Object.is(actual, expected)) throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`)
}

/** Structural equality of JSON-like values; the message names the first differing path. */
export function deepEqual(actual: unknown, expected: unknown, what: string): void {
  const path = difference(actual, expected, '$')
  if (path !== undefined) throw new AssertionError(`${what}: differs at ${path}`)
}

function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path
  if (Array.isArray(a) !== Array.isArray(b)) return path
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (!(key in left) || !(key in right)) return `${path}.${key}`
    const inner = difference(left[key], right[key], `${path}.${key}`)
    if (inner !== undefined) return inner
  }
  return undefined
}

/**
 * Awaits `action` (a promise, or a function that may also throw synchronously) and returns the error
 * it failed with, which must be an instance of `type`.
 */
export async function rejects<T>(
  action: Promise<unknown> | (() => unknown),
  type: abstract new (...args: never[]) => T,
  what: string,
): Promise<T> {
  let threw = false
  let error: unknown
  try {
    await (typeof action === 'function' ? action() : action)
  } catch (caught) {
    threw = true
    error = caught
  }
  if (!threw) throw new AssertionError(`${what}: expected ${type.name}, but it succeeded`)
  if (!(error instanceof type)) throw new AssertionError(`${what}: expected ${type.name}, got ${describe(error)}`)
  return error
}

export { describe as describeError }
