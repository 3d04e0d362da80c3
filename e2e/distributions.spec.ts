import { expect, test, type Page } from '@playwright/test';
import { nodeOf, openTemplate, trainForSteps } from './helpers';

/** Distributions over time (issue 16): the inspected edge's gradient and the inspected layer's weights over the whole run. */

const edge = (page: Page, id: string) => page.locator(`[data-testid="gradient-edge"][data-edge-id="${id}"]`);
const READOUT = /^Step ([\d,]+): median (-?[\d.e-]+); the middle 90% from (-?[\d.e-]+) to (-?[\d.e-]+)\.$/;

function readout(text: string): { step: number; median: number; low: number; high: number } {
  const m = READOUT.exec(text);
  expect(m, text).not.toBeNull();
  return { step: Number(m![1]!.replace(/,/g, '')), median: Number(m![2]), low: Number(m![3]), high: Number(m![4]) };
}

test('an inspected edge shows its gradient’s spread at every step so far, and a layer its weights’; switching while paused shows the new one at once', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await edge(page, 'e2').click({ force: true });
  const gradient = page.getByTestId('distribution').and(page.locator('[data-kind="gradient"]'));
  await expect(gradient).toContainText('Train to see how the spread of the gradient');
  await trainForSteps(page, 300);

  const chart = gradient.getByRole('img', { name: /^Distribution of this edge's gradient values at \d+ steps from [\d,]+ to [\d,]+: bands from the whole range to the middle 10%, and the median$/ });
  await expect(chart).toBeVisible();
  await expect(gradient.getByRole('list', { name: 'Legend' })).toContainText('median');
  const steps = Number((await page.getByTestId('step-count').textContent())!.replace(/,/g, ''));
  const g = readout((await gradient.getByTestId('distribution-readout').textContent())!);
  // The latest column is the step training paused at.
  expect(g.step).toBe(steps);
  expect(g.low).toBeLessThanOrEqual(g.median);
  expect(g.median).toBeLessThanOrEqual(g.high);

  // Another edge while paused: its own series, not the last one's.
  await edge(page, 'e5').click({ force: true });
  await expect(gradient.getByTestId('distribution-readout')).toHaveText(READOUT);
  await expect(gradient.getByRole('img')).toHaveAccessibleName(/steps from [\d,]+ to/);

  // A layer with weights.
  await nodeOf(page, 'dense').click();
  const weights = page.getByTestId('distribution').and(page.locator('[data-kind="weights"]'));
  await expect(weights.getByRole('img', { name: /^Distribution of this layer's weights at \d+ steps from [\d,]+ to [\d,]+/ })).toBeVisible();
  const w = readout((await weights.getByTestId('distribution-readout').textContent())!);
  expect(w.step).toBe(steps);
  expect(w.low).toBeLessThan(w.high);
});
