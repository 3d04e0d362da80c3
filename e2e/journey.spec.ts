import { expect, test } from '@playwright/test';
import { dragFromPalette, lossValue, nodeOf, openTemplate, stepCount, trainToDivergence, wire } from './helpers';

test('the journey: build Input → Dense → Tanh → Dense → Output, pick the spiral, train, watch the gradients, inspect an edge, pause and step', async ({ page }) => {
  await page.goto('/');
  for (const [i, type] of ['input', 'dense', 'tanh', 'dense', 'output'].entries()) await dragFromPalette(page, type, 260, 50 + i * 110);
  const chain = [nodeOf(page, 'input'), nodeOf(page, 'dense', 0), nodeOf(page, 'tanh'), nodeOf(page, 'dense', 1), nodeOf(page, 'output')];
  for (let i = 0; i + 1 < chain.length; i++) await wire(page, chain[i]!, chain[i + 1]!);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(4);

  // Pick the spiral, and give the last Dense one unit per class.
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('spiral');
  await nodeOf(page, 'dense', 1).click();
  const units = page.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('2');
  await units.press('Enter');
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);

  // Train runs until paused: a newcomer's first run is never cut short.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('loss-value')).toBeVisible();
  // An untrained net guesses 50/50 between the two arms: a loss of ln 2 ≈ 0.693. Learning takes it
  // below that within the first epochs (this small tanh net then plateaus near 0.65 for a while).
  await expect.poll(() => lossValue(page), { timeout: 60_000 }).toBeLessThan(Math.log(2) - 0.03);
  // A newcomer's first run succeeds: it trains until paused, and this network learns the default spiral.
  const testAccuracy = async () => Number(/test acc ([\d.]+)%/.exec((await page.getByText(/test acc/).textContent()) ?? '')?.[1] ?? 0);
  await expect.poll(testAccuracy, { timeout: 120_000 }).toBeGreaterThanOrEqual(90);

  // Every edge has a gradient value and a color from the scale.
  const paths = page.getByTestId('gradient-edge');
  await expect.poll(() => paths.evaluateAll((els) => els.every((el) => Number(el.getAttribute('data-grad-rms')) > 0))).toBe(true);
  const strokes = await paths.evaluateAll((els) => els.map((el) => getComputedStyle(el).stroke));
  for (const s of strokes) expect(s).not.toBe('rgb(90, 94, 107)');

  // Click an edge: the inspector shows its gradient over time.
  await paths.nth(2).click({ force: true });
  const inspector = page.getByTestId('edge-inspector');
  await expect(inspector).toBeVisible();
  await expect(inspector).toContainText('tanh_1');
  await expect(inspector.getByRole('img', { name: /Gradient RMS of this edge over training steps/ })).toBeVisible();
  await expect(inspector.getByRole('img', { name: /Histogram of this edge's gradient values/ })).toBeVisible();

  // Pause stops the step counter; Step advances it by one.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused');
  const paused = await stepCount(page);
  // Three quick Step clicks are three steps: none is lost while the one before runs.
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 3; i++) await step.click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBe(paused + 3);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused');
  expect(await stepCount(page)).toBe(paused + 3);
});

test('divergence with a huge learning rate shows a clear message and keeps the graph', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await trainToDivergence(page);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Diverged', { timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: /learning rate/i })).toBeVisible();
  await expect(page.getByTestId('layer-node')).toHaveCount(7);
  // Train after divergence says it starts over, and does, with the settings as they are now.
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toHaveAccessibleDescription(/starts over/);
  const lr = page.getByRole('textbox', { name: /Learning rate/ }).first();
  await lr.fill('0.01');
  await lr.press('Enter');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(50);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Training');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
});
