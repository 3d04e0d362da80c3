// Finds a Chromium for Playwright. Browser downloads are not possible on every machine
// (they are not on ours), so the order is:
//   1. $CHROMIUM_PATH, if set;
//   2. Debian's /usr/bin/chromium;
//   3. the browser Playwright downloaded itself (`npx playwright install chromium`).
// Returns { path, source } where path is undefined for Playwright's own browser, or null if none.
import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { path: fromEnv, source: 'CHROMIUM_PATH' };
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there. Unset it or point it at a Chromium binary.`);
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: 'debian' };
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { path: undefined, source: 'playwright' };
  } catch {
    // Playwright not installed or no browser registry: fall through.
  }
  return null;
}

/** Chromium flags that keep it quiet on a machine with a closed network and no GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
