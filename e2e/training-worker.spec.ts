import { expect, test } from '@playwright/test';
import { documentJson, lossValue, openTemplate } from './helpers';

test('a killed worker is detected and restarted, and the graph is kept and trains again', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  const before = await documentJson(page);

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('loss-value')).toBeVisible();

  // The worker dies without a word, as a crash or an endless loop would leave it.
  await page.evaluate(() => (window as unknown as { __gradflow: { killWorker(): void } }).__gradflow.killWorker());
  await expect(page.getByTestId('worker-notice')).toContainText('restarted', { timeout: 15_000 });
  await expect(page.getByTestId('worker-notice')).toContainText('Your graph is safe');
  await expect(page.getByRole('status', { name: 'Training status' })).not.toHaveText('Training');

  const after = await documentJson(page);
  expect(after).toBe(before);
  await expect(page.getByTestId('layer-node')).toHaveCount(7);

  // The new worker trains the same graph.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Training');
  await expect(page.getByTestId('loss-value')).toBeVisible();
  await expect.poll(() => lossValue(page), { timeout: 10_000 }).toBeLessThan(0.69);
});
