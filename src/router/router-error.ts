/**
 * Thrown by a completion function to answer with a protocol error: the router replies
 * `{ "detail": message }` with `status`. Any other exception becomes a 500 without its message.
 *
 * @example
 * ```ts
 * complete: async (request) => {
 *   if (!models.has(request.model)) throw new RouterError(403, 'Model not allowed at this security tier')
 *   ...
 * }
 * ```
 */
export class RouterError extends Error {
  readonly status: number
  readonly headers: Record<string, string>
  constructor(status: number, detail: string, headers: Record<string, string> = {}) {
    super(detail)
    this.name = 'RouterError'
    this.status = status
    this.headers = headers
  }
}
