// The process's resident memory and its peak, the same way in Node, Deno and Bun. On Linux the
// kernel keeps the peak (VmHWM in /proc/self/status) and resets it when 5 is written to
// /proc/self/clear_refs, so the peak of one call is exact. Elsewhere the peak is the process's
// maxRSS over its whole life (Node and Bun) or the current RSS (Deno), and callers sample beside it.
import { readFileSync, writeFileSync } from 'node:fs'

const status = (field) => {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))
  return Number(match[1]) * 1024
}

/** Whether {@link peakRss} is the exact peak since {@link resetPeak}. */
export const exactPeak = (() => {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return status('VmHWM') > 0
  } catch {
    return false
  }
})()

export const rss = () => (exactPeak ? status('VmRSS') : globalThis.Deno ? globalThis.Deno.memoryUsage().rss : process.memoryUsage().rss)

export const peakRss = () => {
  if (exactPeak) return status('VmHWM')
  return globalThis.Deno ? rss() : process.resourceUsage().maxRSS * 1024
}

export const resetPeak = () => exactPeak && writeFileSync('/proc/self/clear_refs', '5')
