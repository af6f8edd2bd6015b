import { APIUserAbortError } from '../errors.js'

/**
 * Waits for `promise` unless `signal` aborts first. Used where one operation (the router key fetch,
 * a key generation) is shared by several callers: one caller giving up must not cancel it for all.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(new APIUserAbortError())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new APIUserAbortError())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
