/** The "cache a promise, forget it when it fails" helper behind the key stores and the clients. */
import { describe, expect, it } from 'vitest'
import { PromiseCache } from '../../src/promise-cache.js'

describe('PromiseCache', () => {
  it('makes the promise once and shares it, pending or resolved', async () => {
    const cache = new PromiseCache<number>()
    let made = 0
    const make = async () => ++made
    const [a, b] = await Promise.all([cache.get(make), cache.get(make)])
    expect([a, b, await cache.get(make), made]).toEqual([1, 1, 1, 1])
  })

  it('forgets a rejected promise, so the next call makes a new one', async () => {
    const cache = new PromiseCache<string>()
    await expect(cache.get(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
    expect(cache.current).toBeUndefined()
    expect(await cache.get(async () => 'second try')).toBe('second try')
  })

  it('a failure of a replaced promise does not clear the newer one', async () => {
    const cache = new PromiseCache<string>()
    let fail!: (error: Error) => void
    const old = cache.keep(new Promise((_, reject) => (fail = reject)))
    const newer = cache.keep(Promise.resolve('newer'))
    fail(new Error('old'))
    await expect(old).rejects.toThrow('old')
    expect(cache.current).toBe(newer)
  })

  it('pin keeps even a rejection, until something replaces it', async () => {
    const cache = new PromiseCache<string>()
    const refused = cache.pin(Promise.reject(new Error('pinned failure')))
    await expect(refused).rejects.toThrow('pinned failure')
    await expect(cache.get(async () => 'never made')).rejects.toThrow('pinned failure')
    cache.clear()
    expect(await cache.get(async () => 'made')).toBe('made')
  })
})
