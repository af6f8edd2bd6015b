/**
 * The browser builds stay small: minified + gzip (level 9) of what a page downloads before it can
 * construct a client, against the targets of issue 6. Reads the built files (`npm test` builds
 * first); a size check, never a timing.
 */
import { describe, expect, it } from 'vitest'
import { bundleSizes } from '../bench/bundle-size.mjs'

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} KB`

describe('bundle size', () => {
  const sizes = bundleSizes()

  it.each(sizes.map((size) => [size.name, size] as const))('%s is within its gzip target', (_name, size) => {
    const line =
      `${size.name}: ${kb(size.bytes)} minified, ${kb(size.gzip)} gzip (target ${kb(size.target)})` +
      (size.lazy.files.length ? `; lazy chunks ${kb(size.lazy.gzip)} gzip not counted` : '')
    console.info(line)
    expect(size.gzip, line).toBeLessThanOrEqual(size.target)
  })
})
