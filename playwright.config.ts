import { defineConfig, devices } from '@playwright/test';
import { findChromium, CHROMIUM_ARGS } from './scripts/browser.mjs';
import { PREVIEW_PORT } from './vite.config';

const browser = await findChromium();
const baseURL = `http://127.0.0.1:${PREVIEW_PORT}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list'], ['./scripts/summary-reporter.playwright.ts'], ...(process.env.CI ? [] : [['html', { open: 'never' }] as const])],
  timeout: 60_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: { executablePath: browser?.path, args: CHROMIUM_ARGS },
      },
    },
  ],
  // End-to-end tests run against a production build, served by `vite preview`.
  webServer: {
    command: 'npx vite build && npx vite preview --host 127.0.0.1',
    url: baseURL,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
