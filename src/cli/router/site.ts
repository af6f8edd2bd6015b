/**
 * The demo page (`demo/`) and the script-tag build, served from the router's own origin so the page
 * can talk to the protocol endpoints without CORS. Only the files listed here are served (no
 * directory walking), read on each request so an edited page shows on reload.
 */
import { access, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

// This module is built into dist/cli/, so the package root is two levels up.
const fromPackage = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

const HTML = 'text/html; charset=utf-8'
const JS = 'text/javascript; charset=utf-8'
const FILES: Record<string, [file: string, type: string]> = {
  '/': [fromPackage('demo/index.html'), HTML],
  '/index.html': [fromPackage('demo/index.html'), HTML],
  '/app.js': [fromPackage('demo/app.js'), JS],
  '/chat-view.js': [fromPackage('demo/chat-view.js'), JS],
  '/style.css': [fromPackage('demo/style.css'), 'text/css; charset=utf-8'],
  '/nomyo-secure.iife.min.js': [fromPackage('dist/nomyo-secure.iife.min.js'), JS],
  // Loaded by the script-tag build on first use of a PEM private key (loadKeys), from beside it.
  '/nomyo-secure.pem.min.js': [fromPackage('dist/nomyo-secure.pem.min.js'), JS],
}

// The page handles keys and prompts: it runs only its own scripts and talks only to this origin.
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
}

/** Throws with the fix when a file is missing (typically the build: `npm run build`). */
export async function checkSiteFiles(): Promise<void> {
  for (const [file] of Object.values(FILES)) {
    try {
      await access(file)
    } catch {
      throw new Error(`${file} is missing; run "npm run build" first (or "npm run demo", which builds)`)
    }
  }
}

/** Answers GET/HEAD for the page's files; undefined for anything else. */
export async function serveSite(request: Request): Promise<Response | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined
  const entry = FILES[new URL(request.url).pathname]
  if (!entry) return undefined
  const [file, type] = entry
  const body = request.method === 'HEAD' ? null : await readFile(file)
  return new Response(body, { headers: { 'Content-Type': type, ...PAGE_HEADERS } })
}
