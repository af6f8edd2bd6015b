/**
 * Frees a buffer's memory at once where the runtime can: `ArrayBuffer.prototype.transfer` detaches
 * the buffer and drops its memory (Node ≥ 21, Deno, Bun, workerd, current browsers). Node 20 has no
 * `transfer`: there the buffer waits for the garbage collector like any other.
 *
 * Only for buffers this library allocated and nobody else holds: every view of the buffer reads as
 * empty afterwards. WebCrypto copies its input when a method is called, so a buffer handed to it can
 * be released right after the call, before its promise settles.
 */
export function releaseBuffer(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean }
  try {
    if (!buffer.detached) buffer.transfer?.(0)
  } catch {
    // A buffer the runtime has pinned for its own use cannot be detached: the GC frees it later.
  }
}
