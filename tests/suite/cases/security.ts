/** Refusals that protect the user: plain http without opting in, and a router key that is not pinned. */
import { equal, ok, rejects } from '../assert.ts'
import { fixtureClient, hello, recordingFetch } from '../helpers.ts'
import type { Case } from '../types.ts'

export const securityCases: Case[] = [
  {
    name: 'security: an http:// router URL is refused with SecurityError unless allowHttp is set',
    async run({ lib, routerUrl }) {
      ok(routerUrl.startsWith('http://'), 'the test router is plain http')
      await rejects(() => new lib.SecureChatCompletion({ baseUrl: routerUrl }), lib.SecurityError, 'SecureChatCompletion({ baseUrl })')
      await rejects(() => new lib.SecureCompletionClient({ routerUrl }), lib.SecurityError, 'SecureCompletionClient({ routerUrl })')
      const client = new lib.SecureChatCompletion({ baseUrl: 'https://router.invalid' })
      await rejects(client.create({ model: 'm', messages: hello, base_url: routerUrl }), lib.SecurityError, 'per-call base_url')
      ok(new lib.SecureChatCompletion({ baseUrl: routerUrl, allowHttp: true }), 'allowHttp: true accepts it')
    },
  },
  {
    name: 'security: a router key that does not match the pin is refused before anything is sent',
    async run(ctx) {
      const { fetch, sent } = recordingFetch()
      const client = await fixtureClient(ctx, { fetch, routerKeyPins: ['ab'.repeat(32)] })
      const error = await rejects(client.create({ model: 'm', messages: hello }), ctx.lib.SecurityError, 'pinned to another key')
      equal(error.code, 'ERR_SECURITY', 'code')
      ok(!sent.some((request) => request.startsWith('POST')), `no request was posted (sent: ${sent.join(', ')})`)
    },
  },
  {
    name: 'security: the pinned router key is accepted',
    async run(ctx) {
      const { fetch, sent } = recordingFetch()
      const client = await fixtureClient(ctx, { fetch, routerKeyPins: [ctx.routerFingerprint] })
      const answer = await client.create({ model: 'm', messages: hello })
      equal(answer.choices[0]?.message.content, 'echo: hi', 'answer content')
      ok(sent.includes('POST /v1/chat/secure_completion'), 'the injected fetch carried the request')
    },
  },
]
