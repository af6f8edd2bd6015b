// Types for tests/bundle-size.test.ts, which shares the measurement with `npm run bench`.
export interface BundleSize {
  name: string
  /** gzip bytes allowed (1 KB = 1000 bytes) */
  target: number
  bytes: number
  gzip: number
  files: string[]
  lazy: { bytes: number; gzip: number; files: string[] }
  withinTarget: boolean
}
export declare const DIST: string
export declare const TARGETS: Record<string, number>
export declare function bundleSizes(): BundleSize[]
