/**
 * Every TypeScript block in README.md, the root guides, docs/, demo/ and examples/ type-checks against
 * the package's public exports: a broken or outdated example fails `npm test`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO, extractBlocks, markdownFiles, typecheckBlocks } from './doc-blocks.js'

const files = markdownFiles()
const blocks = files.flatMap((file) => extractBlocks(file, readFileSync(join(REPO, file), 'utf8')))

describe('documentation examples', () => {
  it('the README and the guides have TypeScript examples to check', () => {
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThan(3)
    expect(new Set(blocks.map((block) => block.file)).size).toBeGreaterThan(3)
  })

  it('the checker reports a broken example, with its Markdown file and line (negative control)', () => {
    const broken = [
      {
        file: 'broken.md',
        line: 10,
        condition: 'node',
        prelude: '',
        code: "import { SecureChatCompletion } from 'nomyo-secure'\nnew SecureChatCompletion({ baseURL: 1 })",
      },
      {
        file: 'broken.md',
        line: 20,
        condition: 'browser',
        prelude: '',
        code: "import { SecureChatCompletion } from 'nomyo-secure'\nnew SecureChatCompletion({ keyDir: 'client_keys' })",
      },
    ]
    const diagnostics = typecheckBlocks(broken, join(REPO, '.tmp', 'doc-blocks-control'))
    expect(diagnostics.map((d) => d.message.split(':').slice(0, 2).join(':'))).toEqual(['broken.md:11', 'broken.md:21'])
  }, 60_000)

  it('every TypeScript block type-checks', () => {
    const diagnostics = typecheckBlocks(blocks, join(REPO, '.tmp', 'doc-blocks'))
    expect(diagnostics.map((d) => d.message)).toEqual([])
  }, 120_000)
})
