/** Type-level checks of the error codes: a closed union, so a `switch` on `code` can be exhaustive. */
import { describe, expectTypeOf, it } from 'vitest'
import type { APIError, ErrorCode, NomyoError } from '../../src/index.js'

describe('ErrorCode', () => {
  it('is the type of every error code, and a switch over it can be exhaustive', () => {
    expectTypeOf<NomyoError['code']>().toEqualTypeOf<ErrorCode>()
    expectTypeOf<APIError['statusCode']>().toEqualTypeOf<number | undefined>()
    const describe = (code: ErrorCode): string => {
      switch (code) {
        case 'ERR_NOMYO':
        case 'ERR_API':
        case 'ERR_INVALID_REQUEST':
        case 'ERR_CONFLICT':
        case 'ERR_UNPROCESSABLE_ENTITY':
        case 'ERR_AUTHENTICATION':
        case 'ERR_FORBIDDEN':
        case 'ERR_NOT_FOUND':
        case 'ERR_RATE_LIMIT':
        case 'ERR_SERVER':
        case 'ERR_SERVICE_UNAVAILABLE':
        case 'ERR_CONNECTION':
        case 'ERR_TIMEOUT':
        case 'ERR_ABORTED':
        case 'ERR_SECURITY':
        case 'ERR_PROTOCOL':
        case 'ERR_UNEXPECTED_RESPONSE':
        case 'ERR_KEY':
        case 'ERR_KEY_UNSUPPORTED':
        case 'ERR_ROUTER':
          return code
        default:
          return code satisfies never
      }
    }
    expectTypeOf(describe).returns.toEqualTypeOf<string>()
  })

  it('an unknown code does not type-check (the check has teeth)', () => {
    // @ts-expect-error not a member of the union
    const code: ErrorCode = 'ERR_INTERNAL'
    expectTypeOf(code).toEqualTypeOf<ErrorCode>()
  })
})
