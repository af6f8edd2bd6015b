/**
 * Optional diagnostics. The library never writes to the console by itself; pass `logger: console`
 * (or your own) to see what it does. Messages carry no plaintext, keys or API keys.
 */
export interface Logger {
  debug?(message: string): void
  warn?(message: string): void
}
