import { expect, test, type Page } from '@playwright/test';
import { dragFromPalette, lossValue, nodeOf, openTemplate, trainToDivergence, wire } from './helpers';

const stepCount = async (page: Page) => Number((await page.getByTestId('step-count').textContent())!.replace(/,/g, ''));

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

  // Long enough that it does not finish while we watch (the engine does 5,000 epochs of spiral in about 12 s).
  await page.getByRole('button', { name: /^Settings/ }).click();
  const epochs = page.getByLabel('Epochs', { exact: true });
  await epochs.fill('10000');
  await epochs.press('Enter');

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('loss-value')).toBeVisible();
  // An untrained net guesses 50/50 between the two arms: a loss of ln 2 ≈ 0.693. Learning takes it
  // below that within the first epochs (this small tanh net then plateaus near 0.65 for a while).
  await expect.poll(() => lossValue(page), { timeout: 15_000 }).toBeLessThan(Math.log(2) - 0.03);

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
  await page.waitForTimeout(500);
  expect(await stepCount(page)).toBe(paused);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => stepCount(page)).toBe(paused + 1);
});

test('divergence with a huge learning rate shows a clear message and keeps the graph', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await trainToDivergence(page);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Diverged', { timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: /learning rate/i })).toBeVisible();
  await expect(page.getByTestId('layer-node')).toHaveCount(7);
  // Reset recovers.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).not.toHaveText('Diverged');
});
