/**
 * The router CLI's key file and restarts: the key is generated once and kept, and a client that
 * cached the old router key gets through a router key change (the client's refetch-and-retry path).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SecureChatCompletion } from '../dist/runtime/node.js'
import { CLI, startDemoCli, tempDir, writeKeyFile, type DemoCli } from './helpers/demo-cli.js'
import { clientPem, otherRouterPem, routerPem } from '../tests/helpers/keys.js'

const running: DemoCli[] = []
const dirs: Array<{ remove(): Promise<void> }> = []
async function start(args: string[]) {
  const cli = await startDemoCli(args, { timeoutMs: 60_000 })
  running.push(cli)
  return cli
}
async function scratch() {
  const dir = await tempDir()
  dirs.push(dir)
  return dir.dir
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((cli) => cli.stop()))
  await Promise.all(dirs.splice(0).map((dir) => dir.remove()))
})

const publicKeyOf = async (url: string) => (await fetch(`${url}/pki/public_key`)).text()
const hello = (client: SecureChatCompletion, text: string) => client.create({ model: 'any', messages: [{ role: 'user', content: text }] })

describe('nomyo-secure-router CLI', () => {
  it('prints its options with --help and refuses unknown options', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' })
    expect(help.status).toBe(0)
    for (const option of [
      '--port',
      '--host',
      '--key-file',
      '--api-key',
      '--upstream',
      '--upstream-key',
      '--upstream-timeout',
      '--cors-origin',
    ]) {
      expect(help.stdout).toContain(option)
    }
    const bad = spawnSync(process.execPath, [CLI, '--prot', '1'], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--help')
  })

  it('generates an RSA-4096 key on first start (mode 0600), and a restart keeps it', async () => {
    const dir = await scratch()
    const keyFile = join(dir, '.nomyo-dev', 'router_key.pem')

    const first = await start(['--port', '0', '--key-file', keyFile])
    expect(first.output()).toMatch(/router_key\.pem \(generated in \d+ ms\)/)
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    expect(await readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    // The directory made for the key ignores itself in git, and the atomic write left no temp file.
    expect(await readFile(join(dir, '.nomyo-dev', '.gitignore'), 'utf8')).toBe('*\n')
    expect((await readdir(join(dir, '.nomyo-dev'))).sort()).toEqual(['.gitignore', 'router_key.pem'])
    const pem = await publicKeyOf(first.url)
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    const key = await crypto.subtle.importKey('spki', der, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt'])
    expect((key.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(4096)
    const fingerprint = /SHA-256 ([0-9a-f]{64})/.exec(first.output())![1]
    await first.stop()

    const second = await start(['--port', '0', '--key-file', keyFile])
    expect(second.output()).toContain('router_key.pem (loaded)')
    expect(second.output()).toContain(`SHA-256 ${fingerprint}`)
    expect(await publicKeyOf(second.url)).toBe(pem)
  }, 90_000)

  it('a client that cached the old router key gets through a router key change', async () => {
    const dir = await scratch()
    const keyA = await writeKeyFile(dir, routerPem, 'a.pem')
    const keyB = await writeKeyFile(dir, otherRouterPem, 'b.pem')
    const before = await start(['--port', '0', '--key-file', keyA])
    const client = new SecureChatCompletion({ baseUrl: before.url, allowHttp: true, maxRetries: 0 })
    await client.client.loadKeys(clientPem)
    expect((await hello(client, 'before')).choices[0]!.message.content).toContain('You said: before')
    const oldKey = await client.client.fetchServerPublicKey()
    await before.stop()

    const after = await start(['--port', String(before.port), '--key-file', keyB])
    const answer = await hello(client, 'after')
    expect(answer.choices[0]!.message.content).toContain('You said: after')
    // Sealed to the cached key: refused with 400, the key refetched, the request sealed again.
    const newKey = await client.client.fetchServerPublicKey()
    expect(newKey).not.toBe(oldKey)
    expect(newKey).toBe(await publicKeyOf(after.url))
    const steps = after.logLines().map((line) => line.split(' ').slice(1, 4).join(' '))
    expect(steps.slice(0, 3)).toEqual([
      'POST /v1/chat/secure_completion 400',
      'GET /pki/public_key 200',
      'POST /v1/chat/secure_completion 200',
    ])
  })
})
