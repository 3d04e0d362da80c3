import { expect, test } from '@playwright/test';
import { lossValue, openTemplate } from './helpers';

/**
 * The templates of the explainer's remaining ideas, read as a person meets them: in the gallery
 * with their lessons, and (for the one whose lesson is a failure) failing and recovering as told.
 * Their numbers (accuracy, the train/test gap) are held by engine/train/examples.test.ts.
 */

test('the gallery offers no bend, overfitting and dropout, and learning rate too high, each with its lesson', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates' }).click();
  await expect(page.getByTestId('template-no-bend')).toContainText('No bend (no activation)');
  await expect(page.getByTestId('template-no-bend')).toContainText(/one linear map/);
  await expect(page.getByTestId('template-overfit-dropout')).toContainText('Overfitting and dropout');
  await expect(page.getByTestId('template-overfit-dropout')).toContainText(/Set both Dropout rates to 0/);
  await expect(page.getByTestId('template-lr-too-high')).toContainText('Learning rate too high');
  await expect(page.getByTestId('template-lr-too-high')).toContainText(/sgd · lr 1$/);
});

test('learning rate too high: the run diverges and says to lower the rate; a tenth of it fits the wave', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'lr-too-high');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const status = page.getByRole('status', { name: 'Training status' });
  await expect(status).toHaveText('Diverged', { timeout: 60_000 });
  await expect(page.getByRole('alert').filter({ hasText: /^Training diverged at step \d+: .*Lower the learning rate \(try 10× smaller\)/ })).toBeVisible();

  await page.getByRole('button', { name: /^Settings/ }).click();
  const lr = page.getByRole('textbox', { name: /Learning rate/ }).first();
  await lr.fill('0.1');
  await lr.press('Enter');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status).toHaveText('Training');
  // Predicting the mean of the wave scores about 0.47; the fit goes well under a fifth of it.
  await expect.poll(() => lossValue(page), { timeout: 120_000 }).toBeLessThan(0.09);
  await expect(page.getByRole('alert').filter({ hasText: /diverged/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status).not.toHaveText('Training', { timeout: 30_000 });
});
