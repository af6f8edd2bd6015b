/** What every runner hands the suite, whatever the runtime. */
import type * as Core from '../../src/index.js'
import type * as Edge from '../../src/runtime/workers.js'

/**
 * The imported package: `nomyo-secure` as the runtime resolved it (type-only reference to the core,
 * erased at run time; the value always comes from the runner's own import).
 */
export type Lib = typeof Core & Partial<Pick<typeof Edge, 'PemKeyStore'>> & Record<string, unknown>

export interface WireVector {
  name: string
  expect: 'ok' | 'security' | 'format'
  package: unknown
  plaintext?: unknown
}

export interface KeyFile {
  file: string
  pem: string
  publicPem: string
  expect: 'ok' | 'unsupported' | 'ok-or-clear-error'
  /** The password of encrypted files; absent for plain ones. */
  password?: string
}

/** ../shared/vectors, read by the runner (files, HTTP or a request body). */
export interface VectorData {
  wire: { client_private_key_pkcs8_pem: string; client_public_key_spki_pem: string; vectors: WireVector[] }
  keys: { password: string; files: KeyFile[] }
}

export interface SuiteContext {
  /** For messages only: 'node', 'deno', 'bun', 'workerd', 'chromium'. */
  runtime: string
  lib: Lib
  /** The test router, `http://127.0.0.1:<port>`; `${routerUrl}/status/<code>` answers every secure request with that status. */
  routerUrl: string
  /** SHA-256 of the router key's SPKI DER, lowercase hex (for pinning). */
  routerFingerprint: string
  vectors: VectorData
  /**
   * Where the runtime has files: a directory holding the Python client's key files
   * (`private_key.pem`, encrypted with the vectors' password, and `public_key.pem`).
   */
  keyDir?: string
}

export interface Case {
  name: string
  /** Generates an RSA-4096 key (0.2-5 s): run once per runtime, not per module variant. */
  slow?: boolean
  run(ctx: SuiteContext): Promise<void>
}

export interface CaseResult {
  name: string
  ok: boolean
  ms: number
  error?: string
}
