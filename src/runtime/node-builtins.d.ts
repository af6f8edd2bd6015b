// The few Node built-ins the Node and Bun entries use (through src/keystore/files/node.ts and
// src/runtime/node-server.ts), declared here so the core compiles without Node types (`types: []`):
// only these calls exist, and the bundle test proves no browser build reaches them.
declare module 'node:fs/promises' {
  export function readFile(path: string, encoding: 'utf8'): Promise<string>
  export function writeFile(path: string, data: string, options: { mode?: number; flag?: string }): Promise<void>
  export function mkdir(path: string, options: { recursive?: boolean; mode?: number }): Promise<string | undefined>
  export function rename(from: string, to: string): Promise<void>
  export function rm(path: string, options?: { force?: boolean }): Promise<void>
  export function link(existingPath: string, newPath: string): Promise<void>
  export function chmod(path: string, mode: number): Promise<void>
  export function stat(path: string): Promise<{ isFile(): boolean; mode: number }>
  export function lstat(path: string): Promise<{ isSymbolicLink(): boolean; mode: number }>
}
declare module 'node:path' {
  export function dirname(path: string): string
  export function join(...parts: string[]): string
}
declare module 'node:http' {
  interface IncomingMessage extends AsyncIterable<Uint8Array> {
    method?: string
    url?: string
    headers: Record<string, string | string[] | undefined>
    complete: boolean
    socket: { destroy(): void }
    iterator(options: { destroyOnReturn: boolean }): AsyncIterator<Uint8Array>
    resume(): this
    on(event: 'close', listener: () => void): this
    on(event: 'data', listener: (chunk: Uint8Array) => void): this
  }
  interface ServerResponse {
    writeHead(status: number, headers: Array<[string, string]>): this
    write(chunk: Uint8Array): boolean
    end(chunk?: Uint8Array): this
    once(event: 'drain', listener: () => void): this
    on(event: 'close', listener: () => void): this
    writableEnded: boolean
    destroy(error?: Error): void
  }
  interface Server {
    listen(port: number, host: string, callback: () => void): this
    address(): { port: number; address: string } | string | null
    close(callback?: (error?: Error) => void): this
    closeAllConnections?(): void
    on(event: 'error', listener: (error: Error) => void): this
  }
  export function createServer(listener: (request: IncomingMessage, response: ServerResponse) => void): Server
}
