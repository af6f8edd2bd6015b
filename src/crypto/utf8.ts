/**
 * Strict UTF-8 decoding of a decrypted payload, at native speed where the runtime allows it: Node
 * reads ASCII (the common case) as latin1, every other runtime uses `TextDecoder`, already that fast
 * there. Which one a build gets is package.json `"imports"` (`#platform/bytes`), decided by the
 * runtime's or the bundler's conditions, not by looking for globals.
 */
export { decodeUtf8 } from '#platform/bytes'

/** The one UTF-8 encoder (stateless, so every module shares it). */
export const utf8Encoder = new TextEncoder()
