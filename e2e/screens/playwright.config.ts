/**
 * Screenshots of every view at its best and at its worst (`npm run screens`): not part of
 * `npm test`; it asserts only that each view rendered, and writes PNGs to test-results/screens/
 * for a person to look at. Served like the benchmarks (own port and build folder).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { findChromium, CHROMIUM_ARGS } from '../../scripts/browser.mjs';
import { PREVIEW_PORT } from '../../vite.config';

const browser = await findChromium();
const port = PREVIEW_PORT + 20;
const baseURL = `http://127.0.0.1:${port}`;
const outDir = join(tmpdir(), 'gradflow-screens-dist');
const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: /\.screens\.ts$/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 120_000,
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: browser?.path, args: CHROMIUM_ARGS },
    trace: 'off',
  },
  outputDir: join(tmpdir(), 'gradflow-screens-output'),
  webServer: {
    command: `npx vite build --outDir "${outDir}" --emptyOutDir && npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir "${outDir}"`,
    cwd: root,
    url: baseURL,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
