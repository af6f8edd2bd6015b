/** The Chromium launcher of e2e/helpers/chromium.mjs, typed for the TypeScript tests. */
import type { Browser } from 'playwright-core'
import * as launcher from './chromium.mjs'

export const CHROMIUM_PATH: string = launcher.CHROMIUM_PATH
export const launchChromium: () => Promise<Browser> = launcher.launchChromium
