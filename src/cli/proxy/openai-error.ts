/**
 * Errors in the shape OpenAI's API answers with, `{"error": {"message", "type", "code", "param"}}`,
 * so every OpenAI SDK raises its own error class for them. Messages never quote a request.
 */

/** An OpenAI-shaped error answer; `message` must be free of plaintext and keys. */
export function openAiError(status: number, message: string, type: string, code: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { message, type, code, param: null } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}
