/** The proxy's options: safe defaults, secrets from the environment, and checks that name the option only. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_PORT, parseProxyCli } from '../../src/cli/proxy/options.js'

describe('nomyo-secure proxy options', () => {
  it('defaults to this machine on 12436, the library router, no key, no CORS and no local token', () => {
    expect(parseProxyCli([])).toEqual({
      help: false,
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      router: undefined,
      apiKey: undefined,
      pins: [],
      routerKeyFile: undefined,
      keyDir: undefined,
      keyPassword: undefined,
      securityTier: undefined,
      keyBinding: undefined,
      timeoutMs: 300_000,
      localToken: undefined,
      passApiKey: false,
      corsOrigin: undefined,
    })
    expect(DEFAULT_PORT).toBe(12436)
  })

  it('takes repeated pins (colons and case allowed), a router URL without trailing slash, and seconds', () => {
    const pin = 'AB:'.repeat(31) + 'AB'
    expect(parseProxyCli(['--pin', pin, '--pin', 'cd'.repeat(32), '--router', 'https://r.example/', '--timeout', '2.5'])).toMatchObject({
      pins: ['ab'.repeat(32), 'cd'.repeat(32)],
      router: 'https://r.example',
      timeoutMs: 2500,
    })
  })

  it('takes secrets from the environment when the flags are absent', () => {
    const env = { NOMYO_API_KEY: 'k', NOMYO_PROXY_TOKEN: 't', NOMYO_KEY_PASSWORD: 'p', NOMYO_BASE_URL: 'https://r.example/' }
    expect(parseProxyCli([], env)).toMatchObject({ apiKey: 'k', localToken: 't', keyPassword: 'p', router: 'https://r.example' })
    expect(parseProxyCli(['--router', 'https://flag.example'], env)).toMatchObject({ router: 'https://flag.example' })
    expect(parseProxyCli(['--api-key', 'flag'], env)).toMatchObject({ apiKey: 'flag' })
  })

  it.each([
    [['--pin', 'abc'], /--pin/],
    [['--security-tier', 'ultra'], /--security-tier must be one of standard, high, maximum/],
    [['--key-binding', 'maybe'], /--key-binding must be one of auto, require, off/],
    [['--timeout', '0'], /--timeout/],
    [['--router', 'ftp://r'], /http/],
    [['--router', 'https://user:pw@r'], /credentials/],
    [['--cors-origin', 'http://localhost:5173/app'], /origin only/],
    [['--local-token', 't', '--pass-api-key'], /choose one/],
    [['--port', '99999'], /--port/],
    [['--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseProxyCli(argv)).toThrow(message)
  })

  it('never echoes a secret in its errors', () => {
    expect(() => parseProxyCli(['--api-key', 'sk-secret\n'])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('sk-secret') }),
    )
    expect(() => parseProxyCli(['--local-token', 'tok-secret\r'])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('tok-secret') }),
    )
  })
})
