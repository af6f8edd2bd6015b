/**
 * The `_metadata` the client merges into every decrypted answer, as the reference client does: the
 * keys the router sealed there stay, ours are written over them.
 */
import { ProtocolError } from '../errors.js'
import type { SecureMetadata, SecureResponse } from './completion.js'

/** What the client knows about an answer besides its sealed content. */
export interface AnswerFacts {
  payloadId: string
  /** The package's `processed_at`, outside the seal (so unauthenticated). */
  processedAt: unknown
  /** The package's `algorithm`. */
  algorithm: string
  /** Whether the answer was opened with key-binding additional data. */
  bound: boolean
}

/** The decrypted `answer` with {@link SecureMetadata} merged in; a non-object answer is a {@link ProtocolError}. */
export function withSecureMetadata(answer: unknown, facts: AnswerFacts): SecureResponse {
  if (!isPlainObject(answer)) throw new ProtocolError('The decrypted answer is not a JSON object')
  const _metadata: SecureMetadata = {
    ...(isPlainObject(answer._metadata) ? answer._metadata : {}),
    payload_id: facts.payloadId,
    processed_at: facts.processedAt ?? null,
    is_encrypted: true,
    encryption_algorithm: facts.algorithm,
    key_bound: true,
  }
  // Only when bound, so an exchange with a router without the extension looks as it always did
  // (and a sealed `_metadata.key_bound` cannot claim a binding that did not happen).
  if (!facts.bound) delete _metadata.key_bound
  return { ...answer, _metadata }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
