/**
 * Serves files from the repository root on 127.0.0.1 (read-only, no directory listing), optionally
 * in front of a handler for some paths, so pages, the built bundles and a router share one origin.
 */
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve, type NodeServer } from '../../src/runtime/node-server.js'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.pem': 'text/plain',
  '.png': 'image/png',
}

/**
 * @param root directory served at `/` (default: the repository root)
 * @param handler answers first; when it returns undefined the file is served
 * @param extraRoots URL prefix → directory, e.g. `{ '/vectors/': '../shared/vectors' }`
 */
export function serveStatic(
  options: {
    root?: string
    handler?: (request: Request) => Promise<Response | undefined> | Response | undefined
    extraRoots?: Record<string, string>
    port?: number
  } = {},
): Promise<NodeServer> {
  const root = options.root ?? REPO_ROOT
  return serve(
    async (request) => {
      const early = await options.handler?.(request)
      if (early) return early
      const path = decodeURIComponent(new URL(request.url).pathname)
      let base = root
      let rest = path
      for (const [prefix, dir] of Object.entries(options.extraRoots ?? {})) {
        if (path.startsWith(prefix)) {
          base = resolve(REPO_ROOT, dir)
          rest = path.slice(prefix.length - 1)
        }
      }
      const file = normalize(join(base, rest.endsWith('/') ? rest + 'index.html' : rest))
      if (!file.startsWith(base)) return new Response('forbidden', { status: 403 })
      try {
        const body = await readFile(file)
        return new Response(body, {
          headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' },
        })
      } catch {
        return new Response('not found', { status: 404 })
      }
    },
    { port: options.port },
  )
}
