/**
 * `nomyo-secure/relay`: the API-key relay for single-page apps. A page cannot hold a NOMYO API
 * key; it talks to this relay on its own origin, which adds the key and passes sealed packages
 * through without being able to open them.
 *
 * @packageDocumentation
 */
export { createRelay, type RelayOptions, type RelayEvent } from './relay.js'
export type { AllowedOrigins } from './cors.js'
