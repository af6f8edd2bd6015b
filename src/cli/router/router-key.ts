/**
 * The router's RSA key in a PKCS#8 PEM file: loaded when it exists, else generated (RSA-4096) and
 * written once, mode 0600, so restarts keep the key clients have cached. The file appears
 * atomically and is never overwritten: two routers starting together end up with the same key.
 */
import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { exportPrivateKey, generateKeyPair, loadKeyPair } from '../../router/index.js'
import { fingerprintOf } from '../shared/fingerprint.js'

export interface RouterKey {
  keyPair: CryptoKeyPair
  fingerprint: string
  created: boolean
}

export async function loadOrCreateRouterKey(path: string, { warn = (_text: string) => {} } = {}): Promise<RouterKey> {
  let pem = await readIfExists(path)
  let created = false
  if (pem === undefined) {
    created = await create(path)
    pem = await readFile(path, 'utf8')
  } else if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
    warn(`${path} is readable by other users; run: chmod 600 ${path}`)
  }
  let keyPair: CryptoKeyPair
  try {
    // Imported non-extractable: after this point the private key cannot leave WebCrypto.
    keyPair = await loadKeyPair(pem)
  } catch (error) {
    throw new Error(`Cannot use the router key in ${path}: ${(error as Error).message}`)
  }
  return { keyPair, fingerprint: await fingerprintOf(keyPair.publicKey), created }
}

/** Writes a new key; false when another process created the file first (its key is then used). */
async function create(path: string): Promise<boolean> {
  const dir = dirname(path)
  const madeDir = await mkdir(dir, { recursive: true, mode: 0o700 })
  // A directory made for the key keeps it out of commits, whatever repository it lands in.
  if (madeDir !== undefined) await writeFile(join(dir, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => {})
  const pair = await generateKeyPair({ extractable: true })
  const pem = await exportPrivateKey(pair.privateKey)
  const temp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`)
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(pem)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    // link() refuses to replace an existing file, unlike rename(): a concurrent start cannot lose its key.
    await link(temp, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    // File systems without hard links: rename is still atomic, only without the no-clobber guarantee.
    await rename(temp, path)
    return true
  } finally {
    await unlink(temp).catch(() => {})
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return undefined
    throw new Error(`Cannot read the router key file ${path}: ${code ?? message}`)
  }
}
