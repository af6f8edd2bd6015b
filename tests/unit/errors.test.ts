/** The error contract: one base class, a stable `code` per class, safe serialisation. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import * as lib from '../../src/index.js'
import { RouterError } from '../../src/router/index.js'

const CODES: Record<string, string> = {
  NomyoError: 'ERR_NOMYO',
  APIError: 'ERR_API',
  InvalidRequestError: 'ERR_INVALID_REQUEST',
  AuthenticationError: 'ERR_AUTHENTICATION',
  ForbiddenError: 'ERR_FORBIDDEN',
  NotFoundError: 'ERR_NOT_FOUND',
  ConflictError: 'ERR_CONFLICT',
  UnprocessableEntityError: 'ERR_UNPROCESSABLE_ENTITY',
  RateLimitError: 'ERR_RATE_LIMIT',
  ServerError: 'ERR_SERVER',
  ServiceUnavailableError: 'ERR_SERVICE_UNAVAILABLE',
  APIConnectionError: 'ERR_CONNECTION',
  APITimeoutError: 'ERR_TIMEOUT',
  APIUserAbortError: 'ERR_ABORTED',
  SecurityError: 'ERR_SECURITY',
  ProtocolError: 'ERR_PROTOCOL',
  KeyError: 'ERR_KEY',
  UnsupportedKeyError: 'ERR_KEY_UNSUPPORTED',
}

describe('errors', () => {
  it.each(Object.entries(CODES))('%s has the stable code %s, its own name, and extends NomyoError and Error', (name, code) => {
    const ErrorClass = (lib as unknown as Record<string, new (message: string) => lib.NomyoError & { code: string }>)[name]!
    const error = new ErrorClass('message')
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(lib.NomyoError)
    expect(error.code).toBe(code)
    expect((ErrorClass as unknown as { code: string }).code).toBe(code)
    expect(error.name).toBe(name)
    expect(String(error)).toBe(`${name}: message`)
  })

  it('the HTTP classes extend APIError; timeouts are connection errors', () => {
    expect(new lib.ConflictError('m')).toBeInstanceOf(lib.InvalidRequestError)
    expect(new lib.UnprocessableEntityError('m')).toBeInstanceOf(lib.InvalidRequestError)
    expect(new lib.UnexpectedResponseError({})).toBeInstanceOf(lib.ProtocolError)
    for (const name of [
      'InvalidRequestError',
      'AuthenticationError',
      'ForbiddenError',
      'NotFoundError',
      'RateLimitError',
      'ServerError',
      'ServiceUnavailableError',
      'APIConnectionError',
    ]) {
      expect(new (lib as unknown as Record<string, new (m: string) => Error>)[name]!('m')).toBeInstanceOf(lib.APIError)
    }
    expect(new lib.APITimeoutError()).toBeInstanceOf(lib.APIConnectionError)
    expect(new lib.UnsupportedKeyError('m')).toBeInstanceOf(lib.KeyError)
    expect(new lib.APIUserAbortError()).not.toBeInstanceOf(lib.APIError)
  })

  it('serialises to its safe fields only, never its cause', () => {
    const cause = new Error('socket detail with a secret')
    const error = new lib.APIConnectionError('Could not connect', { cause })
    expect(error.cause).toBe(cause)
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'APIConnectionError', code: 'ERR_CONNECTION', message: 'Could not connect' })
    const api = new lib.RateLimitError('slow down', { status: 429, details: 'try later', retryAfterMs: 1000 })
    expect(JSON.parse(JSON.stringify(api))).toEqual({
      name: 'RateLimitError',
      code: 'ERR_RATE_LIMIT',
      message: 'slow down',
      status: 429,
      details: 'try later',
    })
    expect(api.retryAfterMs).toBe(1000)
  })
})

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })

describe('a closed set of codes (ErrorCode)', () => {
  const union = [...readFileSync(join(SRC, 'errors.ts'), 'utf8').matchAll(/^\s+\| '(ERR_[A-Z_]+)'$/gm)].map((m) => m[1])
  const classes = [
    ...Object.values(lib).filter((value) => typeof value === 'function' && value.prototype instanceof Error),
    RouterError,
  ] as unknown as Array<{ name: string; code: string }>

  it('every code has exactly one class, and every class its own code', () => {
    expect(union.length).toBeGreaterThan(15)
    expect(classes.map((c) => c.code).sort()).toEqual([...union].sort())
    expect(RouterError.code).toBe('ERR_ROUTER')
    const router = new RouterError(403, 'not at this tier', { 'x-a': '1' })
    expect(router).toBeInstanceOf(lib.NomyoError)
    expect(router).toMatchObject({ status: 403, message: 'not at this tier', code: 'ERR_ROUTER', name: 'RouterError' })
  })

  it('no code is written anywhere in src/ but in the ErrorCode union', () => {
    for (const file of sourceFiles(SRC)) {
      for (const [literal] of readFileSync(file, 'utf8').matchAll(/ERR_[A-Z_]+/g)) {
        expect(union, `${literal} in ${file}`).toContain(literal)
      }
    }
  })

  it('an answer that is not a completion keeps the object on `response`, never in the message or JSON', () => {
    const response = { detail: 'secret model output', _metadata: { payload_id: 'p' } }
    const error = new lib.UnexpectedResponseError(response)
    expect(error.response).toBe(response)
    expect(error.code).toBe('ERR_UNEXPECTED_RESPONSE')
    expect(error.message).not.toContain('secret')
    expect(JSON.stringify(error)).not.toContain('secret')
  })
})

describe('a runtime without WebCrypto (a browser page that is not a secure context)', () => {
  it('refuses to create a client with a SecurityError that says why', async () => {
    const { SecureChatCompletion, SecureCompletionClient, SecurityError } = lib
    const real = globalThis.crypto
    // What an http:// page on a LAN address sees: getRandomValues, but no `subtle`.
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) })
    try {
      expect(() => new SecureCompletionClient()).toThrow(SecurityError)
      expect(() => new SecureChatCompletion()).toThrow(/https:\/\/ or from localhost/)
    } finally {
      vi.stubGlobal('crypto', real)
    }
    expect(() => new SecureCompletionClient()).not.toThrow()
  })
})
