/**
 * Large requests as a stream of slices of their bytes instead of whole copies. Given a byte body,
 * `fetch` first copies it whole (the Fetch standard's "copy of the bytes"): 10 MiB more at the peak
 * of a 10 MiB request in Node (undici) and Deno (a copy handed to Rust). Given a stream, it reads one
 * slice at a time and sends it: no copy of the whole ever exists. Only for runtimes that send a
 * streamed body over HTTP/1.1, so only the Node and Deno entries turn it on by default
 * (`Platform.defaults`, runtime/entry.ts).
 *
 * package.json `"imports"` maps `#platform/upload-stream` here everywhere but under the `browser`
 * condition, which gets `upload-stream-browser.ts`: browsers refuse streamed uploads over HTTP/1.1
 * (Chromium needs HTTP/2 and `duplex: 'half'`, Firefox and Safari have none), so no browser build
 * carries this code.
 */

/** Bytes per slice: 40 reads for 10 MiB, and a slice in flight is small beside the body. */
export const UPLOAD_SLICE_BYTES = 256 * 1024

/**
 * Smaller bodies go as bytes: their copy is small, and a stream costs CPU (at 1 KiB, 0.1-0.3 ms
 * more per request in Node and Bun, against a target of the bare fetch + 1 ms).
 */
export const STREAM_UPLOAD_MIN_BYTES = 1024 * 1024

export interface UploadStream {
  /** A fresh stream over the bytes; each attempt of a request needs its own. */
  stream: ReadableStream<Uint8Array>
  /**
   * Whether `fetch` has read the stream to its end. Only then is the body's buffer free for
   * something else (the answer, see readBody in transport/http.ts): before, a slice may still be read from it.
   */
  readonly finished: boolean
}

/**
 * Makes `init` send its byte body, when it has one of {@link STREAM_UPLOAD_MIN_BYTES} or more, as an
 * {@link uploadStream}: with its `Content-Length` (Node and Bun send it with a stream body; Deno
 * drops it and sends chunked) and the `duplex: 'half'` a stream body requires. Undefined when the
 * body stays as it is.
 */
export function streamBody(init: RequestInit): UploadStream | undefined {
  const bytes = init.body
  if (!(bytes instanceof Uint8Array) || bytes.length < STREAM_UPLOAD_MIN_BYTES) return undefined
  const upload = uploadStream(bytes)
  const headers = new Headers(init.headers)
  headers.set('Content-Length', String(bytes.length))
  // `duplex` is not yet in TypeScript's RequestInit.
  Object.assign(init, { headers, body: upload.stream, duplex: 'half' })
  return upload
}

/**
 * A pull stream of views into `bytes`, one slice per read. Not a byte stream (`type: 'bytes'`):
 * a byte stream transfers every chunk it is given, which would detach `bytes` and leave nothing
 * for a retry. The slices are views, not copies, so `bytes` must stay as it is until `finished`.
 */
export function uploadStream(bytes: Uint8Array, sliceBytes = UPLOAD_SLICE_BYTES): UploadStream {
  let offset = 0
  let finished = false
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          finished = true
          controller.close()
          return
        }
        const end = Math.min(offset + sliceBytes, bytes.length)
        controller.enqueue(bytes.subarray(offset, end))
        offset = end
      },
    },
    // Nothing is read ahead: a slice is made when fetch asks for one.
    { highWaterMark: 0 },
  )
  return {
    stream,
    get finished() {
      return finished
    },
  }
}
