import { expect, test } from '@playwright/test';
import { canvas, openTemplate, trainForSteps } from './helpers';

/** Unit maps (issue 16): what every unit of the Dense and activation layers outputs over the input plane, read as a person reads them. */

const UNIT_LABEL = /^Unit \d+ of 32: (from −?[\d.e+−]+ to −?[\d.e+−]+ over the input plane|−?[\d.e+−]+ everywhere on the input plane)$/;

test('a 2D run shows each Dense and activation’s first 16 units over the input plane; hovering one shows it large with its incoming weights', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  const toggle = page.getByTestId('canvas-bar').getByRole('button', { name: 'Unit maps' });
  // Seven layers: on by default.
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await trainForSteps(page, 200);

  // Dense 32, ReLU, Dense 32, ReLU, Dense 3: five strips; the Input and Output have none.
  const strips = canvas(page).getByTestId('unit-maps');
  await expect(strips).toHaveCount(5);
  const first = strips.and(page.locator('[data-node-id="n1"]'));
  await expect(first).toHaveAttribute('aria-label', 'Unit maps, the first 16 of 32: what each outputs over the input plane');
  await expect(first).toContainText('+16 more');
  await expect(first.getByTitle('16 more units not shown')).toBeVisible();
  const units = first.getByTestId('unit-map');
  await expect(units).toHaveCount(16);
  for (const label of await units.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))) expect(label).toMatch(UNIT_LABEL);
  const last = strips.and(page.locator('[data-node-id="n5"]'));
  await expect(last).toHaveAttribute('aria-label', 'Unit maps, all 3: what each outputs over the input plane');
  await expect(last).not.toContainText('more');

  await units.nth(2).hover();
  const card = page.getByRole('dialog', { name: 'Dense, unit 3 of 32' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('img', { name: /^Color scale: orange at −?[\d.e+−]+, blue at −?[\d.e+−]+(, dark at zero)?$/ })).toBeVisible();
  const weights = card.getByRole('list', { name: 'Incoming weights' }).getByRole('listitem');
  await expect(weights).toHaveCount(3);
  const names = await weights.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  expect(names[0]).toMatch(/^x1: −?[\d.e+−]+$/);
  expect(names[1]).toMatch(/^x2: −?[\d.e+−]+$/);
  expect(names[2]).toMatch(/^bias: −?[\d.e+−]+$/);

  // A ReLU's unit shows the weights of the Dense it follows, and is never below zero.
  const relu = strips.and(page.locator('[data-node-id="n2"]'));
  await relu.getByTestId('unit-map').first().hover();
  const reluCard = page.getByRole('dialog', { name: 'ReLU, unit 1 of 32' });
  await expect(reluCard.getByTestId('unit-weights')).toContainText('Incoming weights (of Dense)');
  const reluLabels = await relu.getByTestId('unit-map').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  for (const label of reluLabels) expect(label).not.toMatch(/from −/);

  // Keyboard: a unit takes focus and shows its card; Escape closes it.
  await units.nth(5).focus();
  await expect(page.getByRole('dialog', { name: 'Dense, unit 6 of 32' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Dense, unit 6 of 32' })).toHaveCount(0);
});

test('the toggle hides and brings back the unit maps, while paused too; a run without two input features has none', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await trainForSteps(page, 50);
  const strips = canvas(page).getByTestId('unit-maps');
  await expect(strips).toHaveCount(5);
  const toggle = page.getByTestId('canvas-bar').getByRole('button', { name: 'Unit maps' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(strips).toHaveCount(0);
  // The choice is kept across a reload.
  await page.reload();
  await expect(page.getByTestId('canvas-bar').getByRole('button', { name: 'Unit maps' })).toHaveAttribute('aria-pressed', 'false');
  await trainForSteps(page, 20);
  await expect(canvas(page).getByTestId('layer-node').first()).toBeVisible();
  await expect(strips).toHaveCount(0);
  // On again while paused: the worker sends a grid with them at once.
  await page.keyboard.press('u');
  await expect(page.getByTestId('canvas-bar').getByRole('button', { name: 'Unit maps' })).toHaveAttribute('aria-pressed', 'true');
  await expect(strips).toHaveCount(5);

  // Iris has four features: no input plane, no unit maps (and the old run's go with it).
  await openTemplate(page, 'iris');
  await expect(strips).toHaveCount(0);
  await trainForSteps(page, 20);
  await expect(strips).toHaveCount(0);
});
