/**
 * Canvas frame-time benchmark (`npm run bench:ui`): not part of `npm test`, asserts nothing about
 * timing, prints its numbers and writes bench/results/ui-frames.json.
 *
 * Built and served like the e2e tests (production build, `vite preview`), but on its own port
 * and build folder, so it can start while an e2e run or a dev preview holds PREVIEW_PORT and
 * dist/ (the numbers are only meaningful when nothing else heavy runs, though).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { findChromium, CHROMIUM_ARGS } from '../scripts/browser.mjs';
import { PREVIEW_PORT } from '../vite.config';

const browser = await findChromium();
const port = Number(process.env.BENCH_UI_PORT ?? PREVIEW_PORT + 10);
const baseURL = `http://127.0.0.1:${port}`;
/** The build the UI benchmarks serve (first-load.spec.ts lists its chunks). */
export const BENCH_UI_OUT_DIR = join(tmpdir(), 'gradflow-bench-ui-dist');
const outDir = BENCH_UI_OUT_DIR;

export default defineConfig({
  testDir: 'ui',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  // 3 runs of a 2 s drag and 3 runs of 5 s training, with a 200-layer import each time.
  timeout: 5 * 60_000,
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: browser?.path, args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  outputDir: join(tmpdir(), 'gradflow-bench-ui-output'),
  webServer: {
    command: `npx vite build --outDir "${outDir}" --emptyOutDir && npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir "${outDir}"`,
    // From the repository root (a webServer command runs in the config's folder by default).
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    url: baseURL,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
