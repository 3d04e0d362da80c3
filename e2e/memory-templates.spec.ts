import { expect, test, type Page } from '@playwright/test';
import { openTemplate } from './helpers';

const stepCount = async (page: Page) => Number((await page.getByTestId('step-count').textContent())!.replace(/\D/g, '') || 0);

test('long memory with a SimpleRNN: after a few hundred steps the gradient per time step says the early steps get far less gradient than the late ones', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await openTemplate(page, 'memory-rnn');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // The headless reading of this template on the WebAssembly kernels fades from step ~500 to at
  // least step 1,200 (app/training/memoryTemplates.test.ts).
  await expect.poll(() => stepCount(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(600);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused');

  // Embedding → SimpleRNN carries the 32-step sequence.
  await page.locator('[data-testid="gradient-edge"][data-edge-id="e2"]').click({ force: true });
  const timeView = page.getByTestId('edge-inspector').getByTestId('time-gradient');
  await expect(timeView).toHaveAttribute('data-reading', 'fades');
  expect(Number(await timeView.getAttribute('data-last-first-ratio'))).toBeGreaterThanOrEqual(100);
  await expect(timeView).toContainText(/Steps \d+–\d+ \(\d+ batches\): the first of 32 time steps gets [\d.e]+× less gradient than the last/);
  await timeView.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('memory-rnn-time-gradient.png') });
});
