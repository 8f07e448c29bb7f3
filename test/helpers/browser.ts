// Debian's Chromium driven by playwright-core; nothing is downloaded. LINEAGE_GATE_CHROMIUM points at another one.
import { type Browser, chromium } from 'playwright-core';

/** The Chromium the browser tests and the bench drive. */
export const CHROMIUM = process.env.LINEAGE_GATE_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}
