import { expect, test } from '@playwright/test';
import { openTemplate } from './helpers';

test('an image run shows test samples with predicted and true labels, mistakes marked, and a confusion matrix of the test split', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'mnist-mlp');
  // The 8×8 digits: the same views as MNIST, a fraction of the work.
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('digits');
  await page.getByRole('button', { name: 'Step', exact: true }).click();

  const grid = page.getByTestId('sample-grid');
  await expect(grid.getByRole('listitem')).toHaveCount(24);
  await expect(page.getByTestId('sample-mistakes')).toHaveText(/^\d+ of 24 wrong$/);
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toHaveAttribute('data-total', /^[1-9]\d*$/);

  // Train: the model gets most samples right; each tile names its prediction, wrong ones the true label too.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(async () => Number((await page.getByTestId('sample-mistakes').textContent())!.split(' ')[0]), { timeout: 30_000 }).toBeLessThanOrEqual(6);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const wrong = grid.locator('li[data-wrong="true"]');
  const right = grid.locator('li[data-wrong="false"]');
  expect(await right.count()).toBeGreaterThanOrEqual(18);
  await expect(right.first()).toHaveAttribute('title', /^Right: \d \(\d+%\)$/);
  if ((await wrong.count()) > 0) await expect(wrong.first()).toHaveAttribute('title', /^Wrong: predicted \d \(\d+%\), true \d$/);
  await expect(matrix).toHaveAttribute('aria-label', /Confusion matrix of the test split, (8\d|9\d|100)\.\d% on the diagonal/);
});
