import { expect, test } from '@playwright/test';
import { openTemplate, stepCount } from './helpers';

test('the optimizer settings the engine has are in the panel, each optimizer says its conventions, and a learning-rate change mid-run is marked on the loss chart', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: /^Settings/ }).click();
  const help = page.getByTestId('optimizer-help');
  await expect(help).toContainText('ε = 1e-7');
  await expect(page.getByLabel('Clip norm')).toHaveAttribute('placeholder', 'off');

  await page.getByLabel('Optimizer').selectOption('momentum');
  await expect(page.getByLabel('Momentum')).toBeVisible();
  await expect(help).toContainText('v ← μ·v + g');
  await page.getByLabel('Optimizer').selectOption('rmsprop');
  await expect(page.getByLabel('Momentum')).toHaveCount(0);
  const rho = page.getByLabel('RMSprop ρ');
  await expect(rho).toHaveAttribute('placeholder', '0.9');
  await expect(help).toContainText('inside the root');
  // A ρ of 1 would never forget: refused with the reason, the old value kept.
  await rho.fill('1');
  await rho.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /RMSprop ρ must be less than 1/ })).toBeVisible();
  await rho.fill('0.95');
  await rho.press('Enter');
  await expect(rho).toHaveValue('0.95');
  await page.getByLabel('Optimizer').selectOption('adam');

  // Train until paused (the default), change the learning rate while it runs: the loss chart marks the step.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(50);
  const lr = page.getByRole('textbox', { name: /Learning rate/ }).first();
  await lr.fill('0.003');
  await lr.press('Enter');
  const marks = page.getByTestId('chart-marks');
  await expect(marks.getByRole('listitem')).toHaveCount(1, { timeout: 30_000 });
  await expect(marks).toContainText('lr → 0.003');
  expect(Number(await marks.getByRole('listitem').first().getAttribute('data-step'))).toBeGreaterThan(50);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
});
