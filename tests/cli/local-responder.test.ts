/** The dev router's offline answerer: labelled, with usage, n, max_tokens and tool calls. */
import { describe, expect, it } from 'vitest'
import { LABEL, LOCAL_MODEL, localCompletion, sampleArguments } from '../../src/cli/router/local-responder.js'

const user = (content: unknown) => ({ model: 'whatever', messages: [{ role: 'user', content }] })
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1 },
      },
      required: ['city', 'unit'],
    },
  },
}

describe('local demo responder', () => {
  it('labels its answer and its model, and counts tokens', () => {
    const answer = localCompletion(user('Hello there'))
    expect(answer).toMatchObject({ object: 'chat.completion', model: LOCAL_MODEL })
    expect(answer.id).toMatch(/^chatcmpl-/)
    expect(answer.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: `${LABEL} You said: Hello there` }, finish_reason: 'stop', logprobs: null },
    ])
    const { prompt_tokens, completion_tokens, total_tokens } = answer.usage
    expect(prompt_tokens).toBeGreaterThan(0)
    expect(completion_tokens).toBe(Math.ceil(answer.choices[0].message.content.length / 4))
    expect(total_tokens).toBe(prompt_tokens + completion_tokens)
  })

  it('reads text parts of array contents and mentions the security tier', () => {
    const answer = localCompletion(
      user([
        { type: 'text', text: 'part one' },
        { type: 'image_url', image_url: { url: 'x' } },
        { type: 'text', text: 'two' },
      ]),
      { securityTier: 'maximum' },
    )
    expect(answer.choices[0].message.content).toBe(`${LABEL} You said: part one  two\n(security tier requested: maximum)`)
  })

  it('honours n', () => {
    const answer = localCompletion({ ...user('hi'), n: 3 })
    expect(answer.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2])
    expect(answer.choices[2].message.content).toContain('(choice 3 of 3)')
    expect(() => localCompletion({ ...user('hi'), n: 0 })).toThrow(/n must be an integer/)
    expect(() => localCompletion({ ...user('hi'), n: 17 })).toThrow(expect.objectContaining({ status: 400 }))
  })

  it('stops at max_tokens with finish_reason "length"', () => {
    const answer = localCompletion({ ...user('a long message'), max_tokens: 2 })
    expect(answer.choices[0]).toMatchObject({ message: { content: `${LABEL}`.slice(0, 8) }, finish_reason: 'length' })
  })

  it('calls an offered tool with arguments that fit its schema, then answers the tool result', () => {
    const call = localCompletion({ ...user('Paris'), tools: [weather], tool_choice: 'auto' })
    const choice = call.choices[0]
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.content).toBeNull()
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      },
    ])
    expect(call.usage.completion_tokens).toBeGreaterThan(0)

    const followUp = localCompletion({
      model: 'm',
      tools: [weather],
      messages: [
        { role: 'user', content: 'Paris' },
        choice.message,
        { role: 'tool', tool_call_id: choice.message.tool_calls[0].id, content: '21 °C, sunny' },
      ],
    })
    expect(followUp.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: `${LABEL} The tool returned: 21 °C, sunny` } })
  })

  it('follows tool_choice: "none" answers in text, a named function is the one called', () => {
    const lookup = { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }
    expect(localCompletion({ ...user('x'), tools: [weather], tool_choice: 'none' }).choices[0].finish_reason).toBe('stop')
    const named = localCompletion({
      ...user('x'),
      tools: [weather, lookup],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    })
    expect(named.choices[0].message.tool_calls[0].function).toEqual({ name: 'lookup', arguments: '{"q":"x"}' })
    expect(() =>
      localCompletion({ ...user('x'), tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } }),
    ).toThrow(/not in tools/)
  })

  it('builds nested, numeric, boolean and const arguments', () => {
    const schema = {
      type: 'object',
      properties: {
        count: { type: 'integer', minimum: 5 },
        ratio: { type: 'number' },
        flag: { type: ['boolean', 'null'] },
        kind: { const: 'fixed' },
        where: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
    }
    expect(sampleArguments(schema, 'text')).toEqual({ count: 5, ratio: 1, flag: true, kind: 'fixed', where: { street: 'text' }, tags: [] })
  })

  it('refuses a request without messages', () => {
    expect(() => localCompletion({ model: 'm', messages: [] })).toThrow(expect.objectContaining({ status: 400 }))
  })
})
