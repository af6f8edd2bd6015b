/**
 * The router's `complete` function for the examples: forwards each decrypted request to an
 * OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp) at `POST {url}/chat/completions` and
 * returns its answer to be sealed. Web-standard only (fetch), so Workers, Deno and Bun share it.
 * Error details travel unencrypted: they never quote the upstream's body, which may echo the prompt.
 */
import { type CompletionRequest, type CompletionContext, RouterError } from 'nomyo-secure/router'

/** An answer far above what a client accepts sealed (16 MiB) is refused instead of buffered. */
const MAX_ANSWER_BYTES = 12 * 1024 * 1024

export interface UpstreamOptions {
  /** The OpenAI-compatible base URL, e.g. `https://api.openai.com/v1`. */
  url: string
  /** Its bearer key, if it needs one. */
  apiKey?: string
  /** Milliseconds before answering 504 (default 120 000). */
  timeoutMs?: number
}

export function openAIUpstream(options: UpstreamOptions): (request: CompletionRequest, context: CompletionContext) => Promise<unknown> {
  const endpoint = `${options.url.replace(/\/+$/, '')}/chat/completions`
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
  if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`
  const timeoutMs = options.timeoutMs ?? 120_000

  return async (request, context) => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    // The client hanging up cancels the upstream call too.
    const cancel = () => controller.abort()
    context.signal.addEventListener('abort', cancel)
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
      } catch {
        throw controller.signal.aborted
          ? new RouterError(504, 'The upstream model server did not answer in time')
          : new RouterError(503, 'The upstream model server is unavailable')
      }
      if (!response.ok) {
        await response.body?.cancel()
        throw new RouterError(502, `The upstream model server answered HTTP ${response.status}`)
      }
      const text = Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES ? '' : await response.text()
      if (text.length > MAX_ANSWER_BYTES || !text) throw new RouterError(502, 'The upstream answer is empty or too large')
      const answer = JSON.parse(text) as { choices?: unknown } | null
      if (!answer || !Array.isArray(answer.choices)) throw new Error()
      return answer
    } catch (error) {
      if (error instanceof RouterError) throw error
      throw new RouterError(502, 'The upstream model server did not answer with a chat completion')
    } finally {
      clearTimeout(timer)
      context.signal.removeEventListener('abort', cancel)
    }
  }
}
