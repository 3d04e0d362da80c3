import { expect, test, type Page } from '@playwright/test';
import { CSP_DIRECTIVES } from '../deploy/headers';
import { openTemplate, trainForSteps } from './helpers';

// The preview serves the production build under the production CSP (deploy/headers.ts), which
// allows compiling WebAssembly: there the engine trains on its WebAssembly SIMD kernels (issue 14).

const engineTag = (page: Page) => page.getByTestId('engine-path');

/** Opens About, returns its Engine line's text, kernels and threads, and closes it again. */
async function aboutEngine(page: Page): Promise<{ text: string; kernels: string | null; threads: string | null }> {
  await page.getByRole('button', { name: 'About Gradflow and its datasets' }).click();
  const line = page.getByRole('dialog', { name: 'About Gradflow' }).getByTestId('about-engine');
  await expect(line).toBeVisible();
  const result = { text: (await line.textContent()) ?? '', kernels: await line.getAttribute('data-kernels'), threads: await line.getAttribute('data-threads') };
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'About Gradflow' })).toBeHidden();
  return result;
}

/** The threads the engine should use on this machine by default: one per core (up to 16) from 4 cores on, else one. */
async function threadsExpected(page: Page): Promise<number> {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  return cores >= 4 ? Math.min(cores, 16) : 1;
}

test('the run readout and About say the run trains on WebAssembly SIMD, on a thread per core from 4 cores on (the preview is cross-origin isolated)', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const threads = await threadsExpected(page);
  const on = threads === 1 ? 'one thread' : `${threads} threads`;
  await openTemplate(page, 'spiral-mlp');

  // Before any run, About says what this browser will use; the readout has no run to tag.
  const before = await aboutEngine(page);
  expect(before.kernels).toBe('wasm');
  expect(before.threads).toBe(String(threads));
  expect(before.text).toContain(`WebAssembly SIMD, ${on}`);
  expect(before.text).toContain('Runs in this browser train on the engine’s WebAssembly SIMD kernels');
  if (threads > 1) expect(before.text).toContain(`Matrix products are split across ${threads} threads.`);
  else expect(before.text).toMatch(/One thread, because this device reports (one core|[23] cores) and threads pay from 4/);
  await expect(engineTag(page)).toHaveCount(0);

  await trainForSteps(page, 5);
  // What the worker reports for the loaded plan: a short tag, its full sentence for tooltips and screen readers.
  await expect(engineTag(page)).toHaveAttribute('data-kernels', 'wasm');
  await expect(engineTag(page)).toHaveAttribute('data-threads', String(threads));
  await expect(engineTag(page)).toBeVisible();
  await expect(engineTag(page).locator('[aria-hidden="true"]')).toHaveText(threads > 1 ? `WASM SIMD ×${threads}` : 'WASM SIMD');
  await expect(engineTag(page)).toHaveAttribute('title', `Engine: WebAssembly SIMD kernels, on ${on}.`);
  await expect(engineTag(page).locator('.sr-only')).toHaveText(`Engine: WebAssembly SIMD kernels, on ${on}.`);

  const after = await aboutEngine(page);
  expect(after.kernels).toBe('wasm');
  expect(after.threads).toBe(String(threads));
  expect(after.text).toContain('The loaded run trains on the engine’s WebAssembly SIMD kernels');
});

/** The MNIST CNN after `steps` presses of Step with `search` in the address: the loss and the sample grid's mistakes as shown. */
async function mnistAfterSteps(page: Page, search: string, steps: number): Promise<{ loss: string; mistakes: string; threads: string | null }> {
  await page.goto(`/${search}`);
  await openTemplate(page, 'mnist-cnn');
  for (let i = 1; i <= steps; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('step-count')).toHaveText(String(i), { timeout: 60_000 });
  }
  await expect(page.getByTestId('sample-mistakes')).toHaveText(/^\d+ of 24 wrong$/);
  return {
    loss: (await page.getByTestId('loss-value').textContent()) ?? '',
    mistakes: (await page.getByTestId('sample-mistakes').textContent()) ?? '',
    threads: await engineTag(page).getAttribute('data-threads'),
  };
}

test('?threads=2 trains on two threads, to the same numbers as one thread', async ({ page }) => {
  const threaded = await mnistAfterSteps(page, '?threads=2', 6);
  expect(threaded.threads).toBe('2');
  // The training worker started its helper (a worker of its own, on the same shared memory).
  expect(page.workers().filter((w) => w.url().includes('gemm-helper'))).toHaveLength(1);
  await expect(engineTag(page).locator('[aria-hidden="true"]')).toHaveText('WASM SIMD ×2');
  const about = await aboutEngine(page);
  expect(about.text).toContain('Matrix products are split across 2 threads.');
  const one = await mnistAfterSteps(page, '?threads=1', 6);
  expect(one.threads).toBe('1');
  expect(page.workers().filter((w) => w.url().includes('gemm-helper'))).toHaveLength(0);
  // The threads split each product by rows or columns, so every number is computed as on one thread.
  expect(threaded.loss).toBe(one.loss);
  expect(threaded.mistakes).toBe(one.mistakes);
  expect(Number(one.loss)).toBeGreaterThan(0);
});

test('a host that does not isolate the page (no COOP/COEP) trains on one thread, and About says why', async ({ page }) => {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await openTemplate(page, 'spiral-mlp');

  const before = await aboutEngine(page);
  expect(before.kernels).toBe('wasm');
  expect(before.threads).toBe('1');
  expect(before.text).toContain('One thread, because the page is not cross-origin isolated, so threads cannot share memory.');

  await trainForSteps(page, 5);
  await expect(engineTag(page)).toHaveAttribute('data-kernels', 'wasm');
  await expect(engineTag(page)).toHaveAttribute('data-threads', '1');
  await expect(engineTag(page).locator('[aria-hidden="true"]')).toHaveText('WASM SIMD');
  const after = await aboutEngine(page);
  expect(after.text).toContain('The loaded run trains on the engine’s WebAssembly SIMD kernels, which work in place on one block of memory. One thread, because the page is not cross-origin isolated');
});

test('a host whose CSP forbids compiling WebAssembly trains on the TypeScript kernels, and the app says so and why', async ({ page }) => {
  // The production policy without 'wasm-unsafe-eval', as a static host configured by hand might send it.
  const policy = Object.entries(CSP_DIRECTIVES)
    .map(([directive, sources]) => [directive, ...sources.filter((s) => s !== "'wasm-unsafe-eval'")].join(' '))
    .join('; ');
  expect(policy).not.toContain('wasm');
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');

  const before = await aboutEngine(page);
  expect(before.kernels).toBe('js');
  expect(before.text).toContain('TypeScript kernels, one thread');
  expect(before.text).toContain('because this page’s security policy does not allow WebAssembly');

  await trainForSteps(page, 5);
  await expect(engineTag(page)).toHaveAttribute('data-kernels', 'js');
  await expect(engineTag(page).locator('[aria-hidden="true"]')).toHaveText('TS');
  await expect(engineTag(page)).toHaveAttribute('title', /^Engine: TypeScript kernels, on one thread, because this page’s security policy does not allow WebAssembly/);

  const after = await aboutEngine(page);
  expect(after.kernels).toBe('js');
  expect(after.text).toContain('The loaded run trains on the engine’s TypeScript kernels because this page’s security policy does not allow WebAssembly');
});
