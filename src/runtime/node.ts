/**
 * `nomyo-secure` for Node.js: the core with key files through `node:fs`, so `loadKeys` takes paths
 * and `generateKeys({ saveToFile: true })` writes the reference client's `client_keys/` layout.
 *
 * @packageDocumentation
 */
import {
  SecureChatCompletion as CoreSecureChatCompletion,
  type SecureChatCompletionOptions,
} from '../client/secure-chat-completion.js'
import {
  SecureCompletionClient as CoreSecureCompletionClient,
  type SecureCompletionClientOptions,
} from '../client/secure-completion-client.js'
import { nodeFiles } from './node-files.js'

export * from '../index.js'

/** {@inheritDoc CoreSecureChatCompletion} */
export class SecureChatCompletion extends CoreSecureChatCompletion {
  constructor(options: SecureChatCompletionOptions = {}) {
    super({ files: nodeFiles, ...options })
  }
}

/** {@inheritDoc CoreSecureCompletionClient} */
export class SecureCompletionClient extends CoreSecureCompletionClient {
  constructor(options: SecureCompletionClientOptions = {}) {
    super({ files: nodeFiles, ...options })
  }
}
export { serve, type NodeServer } from './node-server.js'
