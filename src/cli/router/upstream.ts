/**
 * Forwards a decrypted request to an OpenAI-compatible server (Ollama, vLLM, llama.cpp server,
 * OpenAI) and hands its answer back to be sealed. Every failure becomes a protocol error with a
 * short detail: HTTP errors 502, unreachable 503, too slow 504. Details and log notes never quote
 * the upstream's body: it may repeat the prompt, and error details travel unencrypted.
 */
import { RouterError, type CompletionContext, type CompletionRequest } from '../../router/index.js'
import { note } from '../shared/request-log.js'

/** An answer far above what the client accepts sealed (16 MiB) is refused instead of buffered. */
const MAX_ANSWER_BYTES = 12 * 1024 * 1024

export interface UpstreamOptions {
  url: string
  apiKey?: string | undefined
  timeoutMs: number
  fetch?: typeof fetch
}

/** The router's `complete` function for an upstream server. */
export function upstreamCompletion({ url, apiKey, timeoutMs, fetch = globalThis.fetch }: UpstreamOptions) {
  const endpoint = `${url}/chat/completions`
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`

  return async function complete(request: CompletionRequest, context: Pick<CompletionContext, 'signal'>): Promise<unknown> {
    // One deadline for connecting and reading; the client hanging up cancels the upstream call too.
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const onClientGone = () => controller.abort()
    context.signal?.addEventListener('abort', onClientGone, { once: true })
    try {
      let response: Response
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers,
          // The protocol answers whole responses, whatever the client asked for.
          body: JSON.stringify({ ...request, stream: false }),
          signal: controller.signal,
          redirect: 'manual',
        })
      } catch (error) {
        throw failure(error, timedOut, timeoutMs)
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {})
        note(`upstream HTTP ${response.status}`)
        throw new RouterError(502, `The upstream model server answered HTTP ${response.status}${hint(response.status)}`)
      }
      if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
        await response.body?.cancel().catch(() => {})
        throw tooLarge()
      }
      let text: string
      try {
        text = await response.text()
      } catch (error) {
        throw failure(error, timedOut, timeoutMs)
      }
      if (text.length > MAX_ANSWER_BYTES) throw tooLarge()
      let answer: unknown
      try {
        answer = JSON.parse(text)
      } catch {
        answer = undefined
      }
      if (!answer || typeof answer !== 'object' || !Array.isArray((answer as { choices?: unknown }).choices)) {
        note('upstream answer not a chat completion')
        throw new RouterError(502, 'The upstream model server did not answer with a chat completion')
      }
      return answer
    } finally {
      clearTimeout(timer)
      context.signal?.removeEventListener('abort', onClientGone)
    }
  }
}

function failure(error: unknown, timedOut: boolean, timeoutMs: number): RouterError {
  if (timedOut) {
    note('upstream timeout')
    return new RouterError(504, `The upstream model server did not answer within ${timeoutMs / 1000} s`)
  }
  // undici reports network failures as TypeError('fetch failed') with the system error as cause.
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  const code = typeof cause?.code === 'string' ? cause.code : 'connection failed'
  note(`upstream ${code}`)
  return new RouterError(503, `The upstream model server is unavailable (${code})`)
}

function tooLarge(): RouterError {
  note('upstream answer too large')
  return new RouterError(502, 'The upstream model server answered with more than 12 MiB')
}

function hint(status: number): string {
  if (status === 401 || status === 403) return ' (check --upstream-key)'
  if (status === 404) return ' (check the --upstream URL and the model name)'
  if (status >= 300 && status < 400) return ' (a redirect; use the final URL in --upstream)'
  return ''
}
