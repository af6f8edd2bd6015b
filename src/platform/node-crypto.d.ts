// The part of `node:crypto` that aes-gcm-node.ts uses, declared here so the core compiles without
// Node types (`types: []`).
declare module 'node:crypto' {
  interface GcmCipher {
    setAAD(data: Uint8Array): this
    update(data: Uint8Array): Uint8Array
    final(): Uint8Array
  }
  interface GcmEncipher extends GcmCipher {
    getAuthTag(): Uint8Array
  }
  interface GcmDecipher extends GcmCipher {
    setAuthTag(tag: Uint8Array): this
  }
  interface KeyObject {
    readonly type: 'secret' | 'public' | 'private'
  }
  export const KeyObject: { from(key: CryptoKey): KeyObject }
  export function createCipheriv(algorithm: 'aes-256-gcm', key: KeyObject, iv: Uint8Array, options: { authTagLength: number }): GcmEncipher
  export function createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: KeyObject,
    iv: Uint8Array,
    options: { authTagLength: number },
  ): GcmDecipher
}
