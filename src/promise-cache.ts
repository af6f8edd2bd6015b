/**
 * One promise kept for later callers (a key pair, the router key): made on first use, shared by
 * concurrent callers while pending and by every caller once resolved, and forgotten when it
 * rejects, so that a failure (a refused key, a network error) does not stick: the next call tries
 * again. Internal; the key stores and clients each hold one.
 */
export class PromiseCache<T> {
  #promise: Promise<T> | undefined

  /** The kept promise, if there is one. */
  get current(): Promise<T> | undefined {
    return this.#promise
  }

  /** The kept promise, or else `make()`'s, kept until it rejects. */
  get(make: () => Promise<T>): Promise<T> {
    return this.#promise ?? this.keep(make())
  }

  /** Keeps `promise` in place of the current one, until it rejects. */
  keep(promise: Promise<T>): Promise<T> {
    this.#promise = promise
    promise.catch(() => {
      // Only this promise's own failure clears the slot, never a newer promise kept since.
      if (this.#promise === promise) this.#promise = undefined
    })
    return promise
  }

  /** Keeps `promise` even if it rejects: every caller gets that failure until something replaces it. */
  pin(promise: Promise<T>): Promise<T> {
    this.#promise = promise
    // The callers see the rejection; this branch only keeps it from counting as unhandled.
    promise.catch(() => {})
    return promise
  }

  /** Forgets the kept promise. */
  clear(): void {
    this.#promise = undefined
  }
}
