/**
 * Which file of each `#platform/…` alias (package.json "imports") Node, Deno and Bun resolve, run for
 * real: Node's Buffer codecs and streaming AES-GCM in Node, the streaming AES-GCM and Bun's codecs (the
 * web ones plus its own) in Bun, WebCrypto and Deno's codecs (the web ones plus both quanta loops) in
 * Deno; the streamed upload and the sliced JSON text in all three, and the ASCII JSON writer
 * (`ascii-json.ts`) in Node and Bun, whose `JSON.stringify` is the slower one. Bun also applies a
 * repository's tsconfig `paths`, which once hid the "bun" condition here: this is the check that
 * caught it. Browser and Workers builds
 * resolve the aliases at bundle time; bundles.test.ts proves they carry no Node built-in.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, binary, run } from './harness.js'

const FIXTURE = join(REPO_ROOT, 'tests/runtimes/fixtures/platform-paths.mjs')
const runtimes = {
  node: {
    command: process.execPath,
    args: [FIXTURE],
    expected: {
      'aes-gcm': 'node',
      bytes: 'node',
      'upload-stream': 'stream',
      'json-utf8': 'pieces',
      'json-content': 'ascii',
      opened: 'round trip',
    },
  },
  bun: {
    command: binary('@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '.bin/bun'),
    args: ['--no-install', FIXTURE],
    expected: {
      'aes-gcm': 'node',
      bytes: 'bun',
      'upload-stream': 'stream',
      'json-utf8': 'pieces',
      'json-content': 'ascii',
      opened: 'round trip',
    },
  },
  deno: {
    command: binary('@deno/linux-x64-glibc/deno', '.bin/deno'),
    args: ['run', '-A', FIXTURE],
    expected: {
      'aes-gcm': 'web',
      bytes: 'deno',
      'upload-stream': 'stream',
      'json-utf8': 'pieces',
      'json-content': 'stringify',
      opened: 'round trip',
    },
  },
}

describe('the #platform aliases each runtime resolves', () => {
  it.each(Object.entries(runtimes))('%s', async (_name, { command, args, expected }) => {
    const output = await run(command, args, { cwd: REPO_ROOT })
    expect(output.code, output.stderr).toBe(0)
    expect(JSON.parse(output.stdout.trim())).toEqual(expected)
    // The Node path must not warn (Bun and Node ≥ 24 do for a non-extractable key in KeyObject.from).
    expect(output.stderr).toBe('')
  })
})
