/**
 * The router's API-key check, in constant time: both sides are hashed first, so the comparison
 * takes as long for a key that shares a prefix with the right one as for one that shares nothing,
 * and the key's length does not show either.
 */

const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))

/** Returns a checker for `Authorization: Bearer <apiKey>`, hashing the expected value once. */
export function apiKeyChecker(apiKey: string): (authorization: string | null) => Promise<boolean> {
  const expected = digest(`Bearer ${apiKey}`)
  return async (authorization) => {
    const [given, wanted] = await Promise.all([digest(authorization ?? ''), expected])
    let difference = authorization === null ? 1 : 0
    for (let i = 0; i < wanted.length; i++) difference |= given[i]! ^ wanted[i]!
    return difference === 0
  }
}
