// Helpers shared by the bench scripts. Runtime-neutral (Node, Deno, Bun): node:fs is the only
// import, and all three runtimes provide it.
import { readFileSync } from 'node:fs'

export const KiB = 1024
export const MiB = 1024 * 1024

/** The production-sized key pair: the RSA-4096 client key of the shared wire vectors, used for both roles. */
export function loadKeyPems() {
  const vectors = JSON.parse(readFileSync(new URL('../../shared/vectors/wire-vectors.json', import.meta.url), 'utf8'))
  return { privatePem: vectors.client_private_key_pkcs8_pem, publicPem: vectors.client_public_key_spki_pem }
}

export function pemDer(pem) {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

// English-like ASCII with a line break now and then, the shape of a long pasted document.
const WORDS = 'the secure router opens each package with its private key and answers a sealed completion to the client key'.split(' ')

// One block of lines, repeated: building megabytes word by word takes seconds.
const BLOCK = (() => {
  let out = ''
  let line = ''
  for (let i = 0; out.length < 4096; i++) {
    line += WORDS[i % WORDS.length] + ' '
    if (line.length > 72) {
      out += line.trimEnd() + '\n'
      line = ''
    }
  }
  return out
})()

function text(length) {
  return BLOCK.repeat(Math.ceil(length / BLOCK.length)).slice(0, length)
}

/** `build(content)` with ASCII content sized so that its JSON is exactly `bytes` long (`\n` counts twice). */
function sized(bytes, build) {
  const room = bytes - JSON.stringify(build('')).length
  const breaks = (t) => {
    let count = 0
    for (let at = t.indexOf('\n'); at >= 0; at = t.indexOf('\n', at + 1)) count++
    return count
  }
  let content = text(room)
  content = content.slice(0, room - breaks(content))
  content += 'x'.repeat(room - content.length - breaks(content))
  const value = build(content)
  if (JSON.stringify(value).length !== bytes) throw new Error(`sizing to ${bytes} bytes failed`)
  return value
}

/** A chat-completion request whose plaintext JSON is exactly `bytes` long: one big user message. */
export function requestOfSize(bytes) {
  return sized(bytes, (content) => ({
    model: 'Qwen/Qwen3-0.6B',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content },
    ],
    temperature: 0.7,
    max_tokens: 4096,
    stream: false,
  }))
}

/** A chat completion whose JSON is exactly `bytes` long: one big assistant message. */
export function answerOfSize(bytes) {
  return sized(bytes, (content) => ({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1764000000,
    model: 'Qwen/Qwen3-0.6B',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  }))
}

export function runtimeName() {
  if (globalThis.Deno) return 'deno'
  if (globalThis.Bun) return 'bun'
  return 'node'
}

export function runtimeVersion() {
  if (globalThis.Deno) return globalThis.Deno.version.deno
  if (globalThis.Bun) return globalThis.Bun.version
  return globalThis.process.versions.node
}

/** A full garbage collection where the runtime offers one (node/deno need --expose-gc). */
export function collectGarbage() {
  if (globalThis.gc) globalThis.gc()
  else if (globalThis.Bun) globalThis.Bun.gc(true)
}

// The runtime's fastest built-in base64: `Uint8Array.prototype.toBase64`/`fromBase64` where they
// exist (Deno, Bun), else Node's Buffer.
const nativeBase64 = typeof Uint8Array.prototype.toBase64 === 'function' && typeof Uint8Array.fromBase64 === 'function'
export const base64Kind = nativeBase64 ? 'Uint8Array.toBase64/fromBase64' : 'Buffer'
export const toBase64 = nativeBase64
  ? (bytes) => bytes.toBase64()
  : (bytes) => globalThis.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
export const fromBase64 = nativeBase64 ? (text) => Uint8Array.fromBase64(text) : (text) => globalThis.Buffer.from(text, 'base64')

export const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2))
export const fmtBytes = (n) => (n >= MiB ? `${+(n / MiB).toFixed(2)} MiB` : n >= KiB ? `${+(n / KiB).toFixed(2)} KiB` : `${n} B`)
