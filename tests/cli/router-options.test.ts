/** The router CLI's options: defaults, checks, and secrets from the environment. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_KEY_FILE, DEFAULT_PORT, parseRouterCli as parseCli } from '../../src/cli/router/options.js'

describe('nomyo-secure-router options', () => {
  it('defaults to this machine, a key file under .nomyo-dev and the local responder with open CORS', () => {
    expect(parseCli([])).toEqual({
      help: false,
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      keyFile: DEFAULT_KEY_FILE,
      apiKey: undefined,
      upstream: undefined,
      upstreamKey: undefined,
      upstreamTimeoutMs: 120_000,
      corsOrigin: '*',
    })
  })

  it('with --upstream, CORS is off unless asked for', () => {
    expect(parseCli(['--upstream', 'http://127.0.0.1:11434/v1/'])).toMatchObject({
      upstream: 'http://127.0.0.1:11434/v1',
      corsOrigin: undefined,
    })
    expect(parseCli(['--upstream', 'http://127.0.0.1:11434/v1', '--cors-origin', '*']).corsOrigin).toBe('*')
    expect(parseCli(['--cors-origin', 'http://localhost:5173']).corsOrigin).toBe('http://localhost:5173')
    expect(parseCli(['--cors-origin', 'none']).corsOrigin).toBeUndefined()
  })

  it('takes secrets from the environment when the flags are absent', () => {
    const env = { NOMYO_ROUTER_API_KEY: 'r', NOMYO_UPSTREAM_KEY: 'u' }
    expect(parseCli([], env)).toMatchObject({ apiKey: 'r', upstreamKey: 'u' })
    expect(parseCli(['--api-key', 'flag'], env).apiKey).toBe('flag')
  })

  it('accepts fractional timeouts and port 0', () => {
    expect(parseCli(['--upstream-timeout', '0.5', '--port', '0'])).toMatchObject({ upstreamTimeoutMs: 500, port: 0 })
  })

  it.each([
    [['--port', '70000'], /--port/],
    [['--port', '12ab'], /--port/],
    [['--upstream-timeout', '0'], /--upstream-timeout/],
    [['--upstream', 'ftp://x'], /http/],
    [['--upstream', 'http://user:pw@host/v1'], /credentials/],
    [['--cors-origin', 'http://localhost:5173/app'], /origin only/],
    [['--api-key', 'a\nb'], /line breaks/],
    [['--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message)
  })

  it('never echoes a secret in its errors', () => {
    expect(() => parseCli(['--upstream-key', 'sk-secret\n'])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('sk-secret') }),
    )
  })
})
