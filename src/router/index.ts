/**
 * `nomyo-secure/router`: the server side of the protocol as a web-standard handler, for tests, the
 * dev router and self-hosted secure endpoints.
 *
 * @packageDocumentation
 */
export {
  createSecureRouter,
  type SecureRouterOptions,
  type CompletionRequest,
  type CompletionContext,
  type RequestEvent,
} from './handler.js'
export { RouterError } from '../errors.js'
export { generateKeyPair, loadKeyPair, exportPrivateKey } from './keys.js'
