/**
 * The behaviour suite, written once and run by every runtime runner (tests/runtimes/*): a list of
 * `{ name, run(ctx) }` and a loop that runs them and reports plain JSON results. Imports inside the
 * suite name the `.ts` files so Deno and Bun load it as it is, with no flags or build step.
 */
import { describeError } from './assert.ts'
import { errorCases } from './cases/errors.ts'
import { fileCases } from './cases/files.ts'
import { keyFileCases } from './cases/key-files.ts'
import { keyStoreCases } from './cases/key-store.ts'
import { roundTripCases } from './cases/round-trip.ts'
import { securityCases } from './cases/security.ts'
import { base64Cases } from './cases/base64.ts'
import { utf8Cases } from './cases/utf8.ts'
import { longPromptCases } from './cases/long-prompt.ts'
import { wireVectorCases } from './cases/wire-vectors.ts'
import type { Case, CaseResult, SuiteContext, VectorData } from './types.ts'

export type { Case, CaseResult, SuiteContext, VectorData } from './types.ts'
export { loadVectors } from './vectors.ts'
export { KEY_DIR_SOURCE } from './cases/files.ts'

/**
 * Every case; the vector and key-file cases come from the data, one per vector and file. `files`:
 * the runtime has a file system and the runner provides `ctx.keyDir`.
 */
export function suite(vectors: VectorData, options: { files?: boolean } = {}): Case[] {
  return [
    ...roundTripCases,
    ...wireVectorCases(vectors),
    ...utf8Cases,
    ...base64Cases,
    ...longPromptCases,
    ...keyFileCases(vectors.keys.files),
    ...errorCases,
    ...securityCases,
    ...keyStoreCases,
    ...(options.files ? fileCases : []),
  ]
}

/**
 * Runs `cases` one after another (shared router, and timings that mean something) and never
 * throws: a failure is a result.
 */
export async function runSuite(
  ctx: SuiteContext,
  cases: Case[] = suite(ctx.vectors, { files: ctx.keyDir !== undefined }),
): Promise<CaseResult[]> {
  const results: CaseResult[] = []
  for (const test of cases) {
    const started = Date.now()
    try {
      await test.run(ctx)
      results.push({ name: test.name, ok: true, ms: Date.now() - started })
    } catch (error) {
      results.push({ name: test.name, ok: false, ms: Date.now() - started, error: describeError(error) })
    }
  }
  return results
}
