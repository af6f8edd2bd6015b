import { describe, expect, it } from 'vitest'
import { SecureChatCompletion } from '../src/runtime/node.js'
import { startRouter } from './helpers/router.js'
import { clientPem } from './helpers/keys.js'

describe('smoke', () => {
  it('round trip', async () => {
    const router = await startRouter()
    try {
      const client = new SecureChatCompletion({ baseUrl: router.url, allowHttp: true })
      await client.client.loadKeys(clientPem)
      const answer = await client.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      expect(answer.choices[0]!.message.content).toBe('echo: hi')
    } finally {
      await router.close()
    }
  })
})
