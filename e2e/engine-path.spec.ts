import { expect, test, type Page } from '@playwright/test';
import { CSP_DIRECTIVES } from '../deploy/headers';
import { openTemplate, trainForSteps } from './helpers';

// The preview serves the production build under the production CSP (deploy/headers.ts), which
// allows compiling WebAssembly: there the engine trains on its WebAssembly SIMD kernels (issue 14).

const engineTag = (page: Page) => page.getByTestId('engine-path');

/** Opens About, returns its Engine line's text and kernels, and closes it again. */
async function aboutEngine(page: Page): Promise<{ text: string; kernels: string | null }> {
  await page.getByRole('button', { name: 'About Gradflow and its datasets' }).click();
  const line = page.getByRole('dialog', { name: 'About Gradflow' }).getByTestId('about-engine');
  await expect(line).toBeVisible();
  const result = { text: (await line.textContent()) ?? '', kernels: await line.getAttribute('data-kernels') };
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'About Gradflow' })).toBeHidden();
  return result;
}

test('the run readout and About say the run trains on WebAssembly SIMD', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');

  // Before any run, About says what this browser will use; the readout has no run to tag.
  const before = await aboutEngine(page);
  expect(before.kernels).toBe('wasm');
  expect(before.text).toContain('WebAssembly SIMD, one thread');
  expect(before.text).toContain('Runs in this browser train on the engine’s WebAssembly SIMD kernels');
  await expect(engineTag(page)).toHaveCount(0);

  await trainForSteps(page, 5);
  // What the worker reports for the loaded plan: a short tag, its full sentence for tooltips and screen readers.
  await expect(engineTag(page)).toHaveAttribute('data-kernels', 'wasm');
  await expect(engineTag(page)).toBeVisible();
  await expect(engineTag(page).locator('[aria-hidden="true"]')).toHaveText('WASM SIMD');
  await expect(engineTag(page)).toHaveAttribute('title', 'Engine: WebAssembly SIMD kernels, on one thread.');
  await expect(engineTag(page).locator('.sr-only')).toHaveText('Engine: WebAssembly SIMD kernels, on one thread.');

  const after = await aboutEngine(page);
  expect(after.kernels).toBe('wasm');
  expect(after.text).toContain('The loaded run trains on the engine’s WebAssembly SIMD kernels');
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
