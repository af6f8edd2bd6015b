// The demo chat page: the script-tag build (global NomyoSecure) talking to the router that served
// this page. Everything shown about the wire (sizes, the package) is measured by wrapping `fetch`,
// the client's documented injection point, so the numbers are what really left the browser.
import { addBubble, bindingBadge, byteLength, describeError, hex, metaLine, showFingerprint, wireDetails } from './chat-view.js'

const { SecureChatCompletion } = globalThis.NomyoSecure

const SEND_PATH = '/v1/chat/secure_completion'
const PREFS_KEY = 'nomyo-secure-demo'
const $ = (id) => document.getElementById(id)
const ui = {
  clientFingerprint: $('client-fingerprint'),
  keyStorage: $('key-storage'),
  keyStorageHint: $('key-storage-hint'),
  settings: $('settings'),
  rotateKey: $('rotate-key'),
  routerFingerprint: $('router-fingerprint'),
  model: $('model'),
  tier: $('tier'),
  apiKey: $('api-key'),
  messages: $('messages'),
  composer: $('composer'),
  prompt: $('prompt'),
  send: $('send'),
  status: $('status'),
}

// Model and tier are remembered; the API key is not (localStorage keeps it in clear text on disk).
const prefs = readPrefs()
ui.model.value = prefs.model ?? 'nomyo-local-echo'
ui.tier.value = prefs.tier ?? ''
for (const input of [ui.model, ui.tier]) input.addEventListener('change', () => writePrefs({ model: ui.model.value, tier: ui.tier.value }))

/** What the fetch wrapper saw for the message being sent. */
let exchange
async function measuringFetch(input, init = {}) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  const response = await fetch(input, init)
  if (exchange && String(init.method).toUpperCase() === 'POST' && url.endsWith(SEND_PATH)) {
    exchange.attempts += 1
    exchange.sentBytes = byteLength(init.body)
    exchange.sentPackage = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body)
    exchange.receivedBytes = (await response.clone().arrayBuffer()).byteLength
  }
  return response
}

const client = new SecureChatCompletion({
  baseUrl: location.origin,
  // The dev router speaks plain http on 127.0.0.1; a deployed page would use https and drop this.
  allowHttp: location.protocol === 'http:',
  fetch: measuringFetch,
  // One quick retry is enough locally; "router down" should show within a second, not after backoff.
  maxRetries: 1,
})

const history = []

ui.settings.addEventListener('submit', (event) => event.preventDefault())
ui.composer.addEventListener('submit', (event) => {
  event.preventDefault()
  const text = ui.prompt.value.trim()
  if (text && !ui.send.disabled) send(text)
})
ui.prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault()
    ui.composer.requestSubmit()
  }
})
ui.rotateKey.addEventListener('click', async () => {
  ui.rotateKey.disabled = true
  ui.clientFingerprint.textContent = 'generating…'
  try {
    await client.client.rotateKeys()
    await showClientKey()
  } catch (error) {
    showStatus(describeError(error).text)
  } finally {
    ui.rotateKey.disabled = false
  }
})

if (!globalThis.isSecureContext || !globalThis.crypto?.subtle) {
  showStatus('WebCrypto is not available: open this page at http://127.0.0.1 or http://localhost (or over https).')
  ui.send.disabled = true
} else {
  showClientKey().catch((error) => showStatus(describeError(error).text))
  showRouterKey().catch(() => {
    ui.routerFingerprint.textContent = 'router not reachable'
  })
}

async function send(text) {
  ui.send.disabled = true
  ui.prompt.value = ''
  removeEmptyHint()
  addBubble(ui.messages, 'user', text)
  history.push({ role: 'user', content: text })
  const pending = addBubble(ui.messages, 'assistant pending', 'Encrypting and sending…')
  exchange = { attempts: 0 }
  const started = performance.now()
  try {
    const completion = await client.create({
      model: ui.model.value.trim() || 'nomyo-local-echo',
      messages: history,
      security_tier: ui.tier.value || undefined,
      api_key: ui.apiKey.value || undefined,
    })
    const ms = Math.round(performance.now() - started)
    const message = completion.choices[0]?.message ?? { role: 'assistant', content: '' }
    history.push({ role: 'assistant', content: message.content ?? '' })
    pending.classList.remove('pending')
    pending.querySelector('.text').textContent = message.content ?? JSON.stringify(message.tool_calls ?? null, null, 2)
    pending.append(metaLine(completion, ms, exchange), bindingBadge(completion), wireDetails(exchange.sentPackage))
    showRouterKey().catch(() => {})
  } catch (error) {
    history.pop()
    const { title, text: detail } = describeError(error)
    pending.className = 'msg error'
    pending.querySelector('.who').textContent = title
    pending.querySelector('.text').textContent = detail
  } finally {
    exchange = undefined
    ui.send.disabled = false
    ui.prompt.focus()
    pending.scrollIntoView({ block: 'end', behavior: 'smooth' })
  }
}

async function showClientKey() {
  const { fingerprint } = await client.client.publicKey()
  showFingerprint(ui.clientFingerprint, fingerprint)
  const persisted = client.client.keysPersisted === true
  ui.keyStorage.textContent = persisted ? 'saved in IndexedDB' : 'memory only'
  ui.keyStorageHint.textContent = persisted
    ? 'This browser keeps the key (non-extractable) across reloads.'
    : 'The key lives in this page only: a new one is made on each reload.'
  ui.keyStorage.className = `badge ${persisted ? 'ok' : 'warn'}`
  ui.keyStorage.dataset.persisted = String(persisted)
}

async function showRouterKey() {
  const pem = await client.client.fetchServerPublicKey()
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')), (c) => c.charCodeAt(0))
  showFingerprint(ui.routerFingerprint, hex(await crypto.subtle.digest('SHA-256', der)))
}

function removeEmptyHint() {
  ui.messages.querySelector('.empty')?.remove()
}

function showStatus(text) {
  ui.status.textContent = text
}

function readPrefs() {
  try {
    return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') ?? {}
  } catch {
    return {}
  }
}

function writePrefs(value) {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(value))
  } catch {}
}
