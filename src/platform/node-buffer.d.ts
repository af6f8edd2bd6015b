// The part of `node:buffer` that bytes-node.ts uses, declared here so the core compiles without
// Node types (`types: []`).
declare module 'node:buffer' {
  interface NodeBuffer extends Uint8Array {
    toString(encoding: 'base64' | 'latin1'): string
    write(text: string, offset: number, length: number, encoding: 'base64'): number
  }
  export const Buffer: {
    from(data: ArrayBufferLike, byteOffset?: number, length?: number): NodeBuffer
    byteLength(text: string, encoding: 'utf8'): number
  }
  export function isAscii(bytes: Uint8Array): boolean
}
