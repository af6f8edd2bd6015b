/**
 * nomyo-secure: end-to-end encrypted, OpenAI-compatible chat completions for NOMYO secure routers.
 * This entry is the runtime-neutral core; runtime entries (`nomyo-secure/node`, `/browser`, ...)
 * export the same API, with entry points built for their runtime (see runtime/entry.ts).
 *
 * @packageDocumentation
 */
export * from './shared-exports.js'
export { SecureChatCompletion, type SecureChatCompletionOptions } from './client/secure-chat-completion.js'
export { SecureCompletionClient, type SecureCompletionClientOptions } from './client/secure-completion-client.js'
export { createSecureFetch, type SecureFetchOptions } from './fetch/secure-fetch.js'
