/**
 * The IndexedDB and Web Locks plumbing of `IndexedDBKeyStore`: promises around requests that
 * resolve only once their transaction committed, and never leave an error event unhandled.
 */

export const STORE = 'keypairs'

/** Runs `navigator.locks.request(name, task)` where Web Locks exist, else just `task()`. */
export async function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  let locks: LockManager | undefined
  try {
    locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  } catch {
    locks = undefined
  }
  if (!locks || typeof locks.request !== 'function') return task()
  let started = false
  try {
    return await locks.request(name, () => {
      started = true
      return task()
    })
  } catch (error) {
    // A lock manager that refuses (opaque origins throw SecurityError) must not stop the store.
    if (started) throw error
    return task()
  }
}

export class OpenTimeout extends Error {}

/** Opens the database at its current version, adding the object store (one upgrade) when missing. */
export async function openDatabase(factory: IDBFactory, name: string, timeout: number): Promise<IDBDatabase> {
  const db = await openOnce(factory, name, undefined, timeout)
  if (db.objectStoreNames.contains(STORE)) return db
  const version = db.version + 1
  db.close()
  return openOnce(factory, name, version, timeout)
}

function openOnce(factory: IDBFactory, name: string, version: number | undefined, timeout: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      reject(new OpenTimeout())
    }, timeout)
    const done = (db: IDBDatabase | undefined, error?: unknown) => {
      if (settled) {
        db?.close() // opened after the timeout: nobody will use it
        return
      }
      settled = true
      clearTimeout(timer)
      if (db) resolve(db)
      else reject(error)
    }
    let request: IDBOpenDBRequest
    try {
      request = version === undefined ? factory.open(name) : factory.open(name, version)
    } catch (error) {
      done(undefined, error)
      return
    }
    request.onupgradeneeded = () => {
      const db = request.result
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE)
    }
    request.onsuccess = () => {
      const db = request.result
      // Never hold up another tab's upgrade: give the connection back when one asks.
      db.onversionchange = () => db.close()
      done(db)
    }
    request.onerror = (event) => {
      event.preventDefault()
      done(undefined, request.error)
    }
    // An older connection elsewhere holds the database; the timeout decides if it takes too long.
    request.onblocked = () => undefined
  })
}

/** Runs one request in its own transaction and resolves with its result once the transaction committed. */
export function transact<T>(db: IDBDatabase, mode: IDBTransactionMode, makeRequest: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    let transaction: IDBTransaction | undefined
    try {
      transaction = db.transaction(STORE, mode)
      const request = makeRequest(transaction.objectStore(STORE))
      const tx = transaction
      tx.oncomplete = () => resolve(request.result as T)
      tx.onabort = () => reject(tx.error ?? request.error ?? new DOMException('The transaction was aborted', 'AbortError'))
    } catch (error) {
      // DataCloneError is thrown here, by `add`, before anything was written.
      try {
        transaction?.abort()
      } catch {
        // already finished
      }
      reject(error)
    }
  })
}

/** Adds the record unless the slot is taken; resolves false (and writes nothing) when it is. */
export function addIfAbsent(db: IDBDatabase, slot: string, record: object): Promise<boolean> {
  let taken = false
  return transact(db, 'readwrite', (store) => {
    const request = store.add(record, slot)
    request.onerror = (event) => {
      if (request.error?.name !== 'ConstraintError') return
      // Expected when another tab won: handled here, so it neither aborts nor reaches window.onerror.
      taken = true
      event.preventDefault()
      event.stopPropagation()
    }
    return request
  }).then(() => !taken)
}
