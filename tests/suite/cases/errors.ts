/**
 * Router error answers become the documented error classes with `status` and the router's
 * `detail`. The suite's router answers `${routerUrl}/status/<code>/v1/chat/secure_completion` with
 * `{ "detail": "canned <code>" }` and that status.
 */
import { equal, ok, rejects } from '../assert.ts'
import { fixtureClient, hello } from '../helpers.ts'
import type { Case, Lib } from '../types.ts'

const STATUSES: Array<[number, keyof Lib & string]> = [
  [400, 'InvalidRequestError'],
  [401, 'AuthenticationError'],
  [403, 'ForbiddenError'],
  [404, 'NotFoundError'],
  [429, 'RateLimitError'],
  [500, 'ServerError'],
  [503, 'ServiceUnavailableError'],
]

export const errorCases: Case[] = STATUSES.map(([status, className]) => ({
  name: `errors: HTTP ${status} from the router becomes ${className}`,
  async run(ctx) {
    const apiKey = 'sk-suite-secret-never-echoed'
    const client = await fixtureClient(ctx, { baseUrl: `${ctx.routerUrl}/status/${status}`, apiKey })
    const type = ctx.lib[className] as typeof ctx.lib.APIError
    const error = await rejects(client.create({ model: 'm', messages: hello }), type, `HTTP ${status}`)
    ok(error instanceof ctx.lib.APIError && error instanceof ctx.lib.NomyoError, 'extends APIError and NomyoError')
    equal(error.status, status, 'status')
    equal(error.details, `canned ${status}`, 'details')
    equal(error.name, className, 'name')
    ok(!error.message.includes(apiKey) && !JSON.stringify(error).includes(apiKey), 'the API key appears nowhere in the error')
  },
}))
