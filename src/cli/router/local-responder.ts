/**
 * The dev router's built-in answerer when no --upstream is given. It is no model: it labels every
 * answer as its own, echoes the last message, counts tokens roughly (4 characters each) and, when
 * tools are offered, calls one with arguments built from its JSON Schema, so every client feature
 * (n, max_tokens, usage, tool calls and tool results) can be tried offline.
 */
import { randomUUID } from 'node:crypto'
import { RouterError, type CompletionRequest } from '../../router/index.js'

export const LOCAL_MODEL = 'nomyo-local-echo'
export const LABEL = '[local demo responder]'
const MAX_N = 16
/** Echoed text is cut here: the answer is a demo, not a copy machine for 10 MiB prompts. */
const MAX_ECHO_CHARS = 2000

type Json = Record<string, unknown>
interface FunctionTool {
  name: string
  parameters?: unknown
}

/**
 * Answers a decrypted chat-completion request with an OpenAI ChatCompletion object.
 *
 * @param request the decrypted request
 * @param context what the router knows besides the request
 */
export function localCompletion(request: CompletionRequest, context: { securityTier?: string | undefined } = {}): Json {
  const messages = request.messages
  if (!Array.isArray(messages) || messages.length === 0) throw new RouterError(400, 'messages must be a non-empty array')
  const n = request.n ?? 1
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_N) {
    throw new RouterError(400, `n must be an integer from 1 to ${MAX_N}`)
  }
  const limit = request.max_completion_tokens ?? request.max_tokens
  const last = asObject(messages[messages.length - 1])
  const tool = last.role === 'tool' ? undefined : chosenTool(request)

  const choices: Json[] = []
  let completionTokens = 0
  for (let index = 0; index < n; index++) {
    const suffix = n > 1 ? ` (choice ${index + 1} of ${n})` : ''
    if (tool) {
      const args = JSON.stringify(sampleArguments(tool.parameters, textOf(last.content)))
      completionTokens += tokens(tool.name) + tokens(args)
      const call = { id: `call_${randomHex()}`, type: 'function', function: { name: tool.name, arguments: args } }
      choices.push({
        index,
        message: { role: 'assistant', content: null, tool_calls: [call] },
        finish_reason: 'tool_calls',
        logprobs: null,
      })
      continue
    }
    let content =
      last.role === 'tool'
        ? `${LABEL} The tool returned: ${clip(textOf(last.content))}${suffix}`
        : `${LABEL} You said: ${clip(textOf(last.content))}${suffix}${tierNote(context.securityTier)}`
    let finish = 'stop'
    if (typeof limit === 'number' && limit >= 0 && tokens(content) > limit) {
      content = content.slice(0, limit * 4)
      finish = 'length'
    }
    completionTokens += tokens(content)
    choices.push({ index, message: { role: 'assistant', content }, finish_reason: finish, logprobs: null })
  }

  const promptTokens =
    messages.reduce((sum: number, message: unknown) => sum + 3 + tokens(textOf(asObject(message).content)), 3) +
    (Array.isArray(request.tools) ? tokens(JSON.stringify(request.tools)) : 0)
  return {
    id: `chatcmpl-${randomHex()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: LOCAL_MODEL,
    choices,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  }
}

/** The function tool to call, or undefined when none is offered or `tool_choice` is "none". */
function chosenTool(request: CompletionRequest): FunctionTool | undefined {
  const tools = (Array.isArray(request.tools) ? request.tools : [])
    .map((tool) => asObject(tool))
    .filter((tool) => tool.type === 'function' && typeof asObject(tool.function).name === 'string')
    .map((tool) => asObject(tool.function) as unknown as FunctionTool)
  const choice = request.tool_choice
  if (tools.length === 0 || choice === 'none') return undefined
  if (choice && typeof choice === 'object') {
    const name = asObject(asObject(choice).function).name
    const named = tools.find((tool) => tool.name === name)
    if (!named) throw new RouterError(400, 'tool_choice names a function that is not in tools')
    return named
  }
  return tools[0]
}

/** Arguments that satisfy the schema's required properties: enums take their first value, strings the user's words. */
export function sampleArguments(schema: unknown, text: string): Json {
  const object = asObject(schema)
  const properties = asObject(object.properties)
  const names = Array.isArray(object.required) ? (object.required as string[]) : Object.keys(properties)
  const args: Json = {}
  for (const name of names) args[name] = sampleValue(properties[name], text)
  return args
}

function sampleValue(schema: unknown, text: string): unknown {
  if (!schema || typeof schema !== 'object') return text.slice(0, 100)
  const object = schema as Json
  if (Array.isArray(object.enum) && object.enum.length > 0) return object.enum[0]
  if ('const' in object) return object.const
  const type = Array.isArray(object.type) ? object.type.find((t) => t !== 'null') : object.type
  switch (type) {
    case 'integer':
    case 'number':
      return typeof object.minimum === 'number' ? object.minimum : 1
    case 'boolean':
      return true
    case 'array':
      return []
    case 'object':
      return sampleArguments(object, text)
    case 'null':
      return null
    default:
      return text.slice(0, 100)
  }
}

/** The text of a message content: a string, or the text parts of a content array. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join(' ')
  return ''
}

/** A rough token count (about 4 characters per token), never 0 for non-empty text. */
export function tokens(text: string): number {
  return Math.ceil(text.length / 4)
}

function asObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {}
}

function clip(text: string): string {
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text
}

function tierNote(tier: string | undefined): string {
  return tier ? `\n(security tier requested: ${tier})` : ''
}

function randomHex(): string {
  return randomUUID().replaceAll('-', '').slice(0, 24)
}
