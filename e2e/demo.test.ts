/**
 * `npm run demo` as a newcomer meets it: the real router CLI process and the demo page in Chromium.
 * Needs the build (`npx rollup -c`): the CLI and the page use dist/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './helpers/chromium.js'
import { startDemoCli, tempDir, writeKeyFile, type DemoCli } from './helpers/demo-cli.js'
import { REPO_ROOT } from './helpers/static-server.js'
import { routerPem } from '../tests/helpers/keys.js'

let browser: Browser
let tmp: Awaited<ReturnType<typeof tempDir>>
let keyFile: string
let cli: DemoCli
const others: DemoCli[] = []
/** Uncaught exceptions of any demo page: there must be none. */
const pageErrors: string[] = []

beforeAll(async () => {
  tmp = await tempDir()
  // A fixture key: generating RSA-4096 for every start would cost seconds (one test in router-cli does it).
  keyFile = await writeKeyFile(tmp.dir, routerPem)
  ;[browser, cli] = await Promise.all([launchChromium(), startDemoCli(['--port', '0', '--key-file', keyFile])])
})

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  await Promise.all([cli, ...others].map((c) => c?.stop()))
  await tmp?.remove()
})

async function openDemo(url: string, viewport = { width: 1200, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(`${url}/`)
  await page.waitForSelector('#client-fingerprint[data-fingerprint]', { timeout: 20_000 })
  return page
}

async function send(page: Page, text: string) {
  const before = await page.locator('#messages .msg:not(.user):not(.pending)').count()
  await page.fill('#prompt', text)
  await page.click('#send')
  await page.waitForFunction((n) => document.querySelectorAll('#messages .msg:not(.user):not(.pending)').length > n, before, {
    timeout: 20_000,
  })
  return page.locator('#messages .msg:not(.user)').last()
}

describe('the demo page against the router CLI', () => {
  it('sends a message sealed and shows the answer, its wire size and round-trip time', async () => {
    const page = await openDemo(cli.url)
    const answer = await send(page, 'Hello from the browser')

    expect(await answer.getAttribute('class')).toContain('assistant')
    expect(await answer.locator('.text').textContent()).toBe('[local demo responder] You said: Hello from the browser')
    const meta = (await answer.locator('.meta').textContent())!
    expect(meta).toMatch(/^sealed request [\d,]+ B · sealed answer [\d,]+ B · round trip \d+ ms · nomyo-local-echo · \d+ tokens$/)
    // The demo router advertises key binding, and the page says the exchange was bound.
    expect(await answer.locator('.binding').getAttribute('data-bound')).toBe('true')
    expect(await answer.locator('.binding').textContent()).toMatch(/^key-bound/)
    // The size shown is what the router received: the page measures the real request body.
    const shown = Number(/sealed request ([\d,]+) B/.exec(meta)![1]!.replaceAll(',', ''))
    const logged = cli
      .logLines()
      .filter((line) => line.includes('POST /v1/chat/secure_completion 200'))
      .at(-1)!
    expect(logged).toContain(`in=${shown}B`)
    // The package on the wire holds no plaintext, and neither does the router's log.
    await answer.locator('summary').click()
    const wire = (await answer.locator('pre').textContent())!
    expect(wire).toContain('"algorithm": "hybrid-aes256-rsa4096"')
    expect(wire).not.toContain('Hello from the browser')
    expect(cli.output()).not.toContain('Hello from the browser')
    // The router key the page shows is the one the CLI printed.
    const routerFingerprint = await page.getAttribute('#router-fingerprint', 'data-fingerprint')
    expect(cli.output()).toContain(`SHA-256 ${routerFingerprint}`)
    await page.context().close()
  })

  it('loads a PEM private key in the page: the script-tag build fetches its PEM codec from the router', async () => {
    const page = await openDemo(cli.url)
    const fingerprint = await page.evaluate(async (pem) => {
      const client = new (
        window as unknown as {
          NomyoSecure: { SecureCompletionClient: new (o: object) => { loadKeys(p: string): Promise<{ fingerprint: string }> } }
        }
      ).NomyoSecure.SecureCompletionClient({ routerUrl: location.origin, allowHttp: true })
      return (await client.loadKeys(pem)).fingerprint
    }, routerPem)
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
    await page.context().close()
  })

  it('keeps the same client key across a reload (IndexedDB, no regeneration)', async () => {
    const page = await openDemo(cli.url)
    const before = await page.getAttribute('#client-fingerprint', 'data-fingerprint')
    expect(await page.getAttribute('#key-storage', 'data-persisted')).toBe('true')
    await page.reload()
    await page.waitForSelector('#client-fingerprint[data-fingerprint]', { timeout: 20_000 })
    expect(await page.getAttribute('#client-fingerprint', 'data-fingerprint')).toBe(before)
    expect(await (await send(page, 'still me')).locator('.text').textContent()).toContain('You said: still me')
    await page.context().close()
  })

  it('shows the authentication error for a wrong API key, and works with the right one', async () => {
    const guarded = await startDemoCli(['--port', '0', '--key-file', keyFile, '--api-key', 'demo-right-key'])
    others.push(guarded)
    const page = await openDemo(guarded.url)
    await page.fill('#api-key', 'demo-wrong-key')
    const error = await send(page, 'let me in')
    expect(await error.getAttribute('class')).toContain('error')
    expect(await error.locator('.who').textContent()).toBe('Wrong API key')
    expect(await error.locator('.text').textContent()).toContain('The router answered HTTP 401: Invalid or missing API key')

    await page.fill('#api-key', 'demo-right-key')
    expect(await (await send(page, 'let me in')).locator('.text').textContent()).toContain('You said: let me in')
    expect(guarded.logLines().some((line) => line.includes('POST /v1/chat/secure_completion 401'))).toBe(true)
    expect(guarded.output()).not.toMatch(/demo-(right|wrong)-key|let me in/)
    await page.context().close()
  })

  it('shows a connection error when the router is stopped', async () => {
    const doomed = await startDemoCli(['--port', '0', '--key-file', keyFile])
    others.push(doomed)
    const page = await openDemo(doomed.url)
    expect(await (await send(page, 'first')).getAttribute('class')).toContain('assistant')
    await doomed.stop()
    const error = await send(page, 'second')
    expect(await error.getAttribute('class')).toContain('error')
    expect(await error.locator('.who').textContent()).toBe('Router unreachable')
    expect(await error.locator('.text').textContent()).toContain('Could not connect to the router')
    await page.context().close()
  })

  // The README's picture is refreshed only on request (UPDATE_SCREENSHOT=1): fingerprints and timings
  // differ on every run, so always rewriting it would churn the repository.
  it('takes the README screenshot', async () => {
    const page = await openDemo(cli.url, { width: 1280, height: 860 })
    await page.selectOption('#tier', 'high')
    await send(page, 'Hello! Is this conversation encrypted?')
    const last = await send(page, 'What does the router see of my messages?')
    await last.locator('summary').click()
    await page.locator('#messages').evaluate((list) => list.scrollTo(0, list.scrollHeight))
    const target =
      process.env.UPDATE_SCREENSHOT === '1' ? join(REPO_ROOT, 'docs/demo.png') : join(tmpdir(), `nomyo-demo-${process.pid}.png`)
    await mkdir(dirname(target), { recursive: true })
    const png = await page.screenshot({ path: target })
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(20_000)
    await page.context().close()
  })
})
