import { expect, test } from '@playwright/test';
import { nodeOf, openTemplate } from './helpers';

test('a model over the size budget is refused at the layer that holds it, and the summary shows its size against the budget', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await openTemplate(page, 'mnist-cnn');
  const summaryButton = page.getByRole('button', { name: 'Summary' });
  const summary = page.getByRole('dialog', { name: 'Model summary' });

  // The example, well within the budget.
  await summaryButton.click();
  await expect(summary.getByTestId('summary-params-budget')).toContainText('52,138 of 20M');
  await expect(summary.getByTestId('summary-memory-budget')).toContainText(/Memory to train\s*about \d+(\.\d)? MB of 1\.5 GB\s*at batch size 32/);
  await expect(summary.getByTestId('summary-params-budget')).not.toHaveAttribute('data-over');
  await page.screenshot({ path: 'test-results/budget-summary-within.png' });
  await summary.getByRole('button', { name: 'Close' }).click();

  // Each layer within its own limits: 512 filters, then 4096 units on the 7×7×512 they leave.
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await nodeOf(page, 'conv2d', 1).click();
  await inspector.getByLabel('Filters').fill('512');
  await inspector.getByLabel('Filters').press('Enter');
  await nodeOf(page, 'dense', 0).click();
  await inspector.getByLabel('Units').fill('4096');
  await inspector.getByLabel('Units').press('Enter');

  await expect(nodeOf(page, 'dense', 0)).toHaveAttribute('data-error', 'The model has 102.8M parameters; Gradflow trains at most 20M in the browser. dense_1 (Dense) holds 102.8M of them. Give it fewer units, or make its input smaller (pooling or a strided Conv2D before the Flatten).');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await summaryButton.click();
  await expect(summary.getByTestId('summary-params-budget')).toHaveAttribute('data-over', '');
  await expect(summary.getByTestId('summary-params-budget')).toContainText('102,842,970 of 20M');
  await page.screenshot({ path: 'test-results/budget-summary.png' });
});
