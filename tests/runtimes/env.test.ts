/**
 * `apiKey` and the router URL default from `NOMYO_API_KEY` and `NOMYO_BASE_URL` where the runtime
 * has an environment (as the `openai` package reads OPENAI_*): Node and Bun through `process.env`,
 * Deno only when the env permission is granted (never a prompt), Workers through the `env` binding
 * passed as an option; never in browsers. Options given win. Deno and Bun run for real (needs `npm run build`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as node from '../../src/runtime/node.js'
import * as workers from '../../src/runtime/workers.js'
import * as browser from '../../src/runtime/browser.js'
import { clientPem } from '../helpers/keys.js'
import { startRouter, type TestRouter } from '../helpers/router.js'
import { REPO_ROOT, binary, run } from './harness.js'

const ENV_URL = 'https://env-router.example:8443'
const DEFAULT_URL = 'https://api.nomyo.ai:12435'
let router: TestRouter
let dir: string

beforeAll(async () => {
  router = await startRouter({ apiKey: 'sk-from-env' })
  dir = mkdtempSync(join(tmpdir(), 'nomyo-env-'))
})
afterAll(async () => {
  await router.close()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  delete process.env.NOMYO_API_KEY
  delete process.env.NOMYO_BASE_URL
})

const params = { model: 'm', messages: [{ role: 'user' as const, content: 'env' }] }

describe('Node (process.env)', () => {
  it('NOMYO_BASE_URL and NOMYO_API_KEY are the defaults of all three entry points', async () => {
    process.env.NOMYO_BASE_URL = ENV_URL
    expect(new node.SecureChatCompletion().client.routerUrl).toBe(ENV_URL)
    expect(new node.SecureCompletionClient().routerUrl).toBe(ENV_URL)
    expect(node.createSecureFetch().client.routerUrl).toBe(ENV_URL)
    process.env.NOMYO_BASE_URL = router.url
    process.env.NOMYO_API_KEY = 'sk-from-env'
    const client = new node.SecureChatCompletion({ allowHttp: true })
    await client.client.loadKeys(clientPem)
    await client.create(params)
    expect(router.requests.at(-1)!.apiKey).toBe('sk-from-env')
  })

  it('options given win over the environment; an empty variable counts as unset', async () => {
    process.env.NOMYO_BASE_URL = ENV_URL
    process.env.NOMYO_API_KEY = 'sk-from-env'
    expect(new node.SecureChatCompletion({ baseUrl: 'https://given.example' }).client.routerUrl).toBe('https://given.example')
    const client = new node.SecureChatCompletion({ baseUrl: router.url, allowHttp: true, apiKey: 'sk-wrong' })
    await client.client.loadKeys(clientPem)
    await expect(client.create(params)).rejects.toThrow(/HTTP 401/)
    process.env.NOMYO_BASE_URL = ''
    expect(new node.SecureCompletionClient().routerUrl).toBe(DEFAULT_URL)
  })
})

describe('Workers (the env binding, passed explicitly) and browsers (never)', () => {
  it('the Workers entry reads only the env option, not process.env', () => {
    process.env.NOMYO_BASE_URL = 'https://process-env.example'
    expect(new workers.SecureChatCompletion().client.routerUrl).toBe(DEFAULT_URL)
    const env = { NOMYO_BASE_URL: ENV_URL, NOMYO_API_KEY: 'sk-worker', OTHER_SECRET: 'x' }
    expect(new workers.SecureChatCompletion({ env }).client.routerUrl).toBe(ENV_URL)
    expect(new workers.SecureCompletionClient({ env }).routerUrl).toBe(ENV_URL)
    expect(workers.createSecureFetch({ env }).client.routerUrl).toBe(ENV_URL)
  })

  it('the Workers env option reaches the router as the API key', async () => {
    const client = new workers.SecureChatCompletion({ env: { NOMYO_BASE_URL: router.url, NOMYO_API_KEY: 'sk-from-env' }, allowHttp: true })
    await client.client.loadKeys(clientPem)
    await client.create(params)
    expect(router.requests.at(-1)!.apiKey).toBe('sk-from-env')
  })

  it('the browser entry ignores the environment', () => {
    process.env.NOMYO_BASE_URL = ENV_URL
    expect(new browser.SecureCompletionClient().routerUrl).toBe(DEFAULT_URL)
    expect(new browser.SecureChatCompletion().client.routerUrl).toBe(DEFAULT_URL)
  })
})

describe('Deno and Bun, for real', () => {
  const script = (entry: string) => {
    const path = join(dir, `${entry.replace(/\W/g, '_')}.mjs`)
    writeFileSync(
      path,
      `import { SecureCompletionClient } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, entry)).href)}\n` +
        'console.log(JSON.stringify({ url: new SecureCompletionClient().routerUrl }))\n',
    )
    return path
  }
  const env = { NOMYO_BASE_URL: ENV_URL, DENO_NO_UPDATE_CHECK: '1' }
  const urlOf = (output: { stdout: string; stderr: string }) => {
    const line = output.stdout.trim().split('\n').pop() ?? ''
    expect(line, output.stderr).toMatch(/^\{/)
    return (JSON.parse(line) as { url: string }).url
  }

  it('Deno reads NOMYO_BASE_URL only with the env permission, and never prompts', async () => {
    const deno = binary('@deno/linux-x64-glibc/deno', '.bin/deno')
    const file = script('dist/nomyo-secure.deno.min.js')
    const read = `--allow-read=${join(REPO_ROOT, 'dist')},${dir}`
    const granted = await run(deno, ['run', '--no-prompt', read, '--allow-env=NOMYO_BASE_URL,NOMYO_API_KEY', file], { cwd: dir, env })
    expect(urlOf(granted)).toBe(ENV_URL)
    const denied = await run(deno, ['run', '--no-prompt', read, file], { cwd: dir, env })
    expect(urlOf(denied)).toBe(DEFAULT_URL)
  })

  it('Bun reads process.env', async () => {
    const bun = binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun')
    expect(urlOf(await run(bun, [script('dist/runtime/bun.js')], { cwd: dir, env }))).toBe(ENV_URL)
  })
})
