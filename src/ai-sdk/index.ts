/**
 * `nomyo-secure/ai-sdk`: a Vercel AI SDK provider whose chat models talk to a NOMYO router end to end
 * encrypted. It is `@ai-sdk/openai-compatible` (an optional peer dependency: install it with `ai`)
 * given the library's secure fetch, so `generateText`, `streamText` and tools work unchanged.
 *
 * @packageDocumentation
 */
import { createOpenAICompatible, type OpenAICompatibleProvider } from '@ai-sdk/openai-compatible'
import { createSecureFetch, type SecureFetch, type SecureFetchOptions } from '../fetch/secure-fetch.js'

/** Options of {@link createNomyo}: the secure fetch's, or a secure fetch made elsewhere. */
export interface NomyoProviderOptions extends SecureFetchOptions {
  /**
   * A secure fetch to use instead of one made from these options, e.g. the Node entry's with
   * `keyDir` so the client key survives restarts. Its router and API key then apply.
   */
  secureFetch?: SecureFetch
  /** The provider name the AI SDK reports (in `providerMetadata`, errors). Default `nomyo`. */
  name?: string
}

/**
 * Creates an AI SDK provider for a NOMYO router: `nomyo('model-id')` is a chat model whose every
 * request is sealed to the router and whose answers are opened on this side. Streaming answers
 * arrive at once after decryption (the protocol answers whole completions); usage is included.
 *
 * @example
 * ```ts
 * import { generateText, streamText } from 'ai'
 * import { createNomyo } from 'nomyo-secure/ai-sdk'
 *
 * const nomyo = createNomyo({ apiKey: process.env.NOMYO_API_KEY, securityTier: 'high' })
 * const { text } = await generateText({ model: nomyo('Qwen/Qwen3-0.6B'), prompt: 'Hello!' })
 * const stream = streamText({ model: nomyo('Qwen/Qwen3-0.6B'), prompt: 'Tell me more' })
 * for await (const part of stream.textStream) console.log(part)
 * ```
 */
export function createNomyo(options: NomyoProviderOptions = {}): OpenAICompatibleProvider {
  const { secureFetch, name = 'nomyo', ...fetchOptions } = options
  const fetch = secureFetch ?? createSecureFetch(fetchOptions)
  return createOpenAICompatible({
    name,
    // Only selects the endpoint: the secure fetch sends to its own router, never to this URL.
    baseURL: `${fetch.client.routerUrl}/v1`,
    includeUsage: true,
    fetch,
  })
}
