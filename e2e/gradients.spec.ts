import { expect, test, type Page } from '@playwright/test';
import { lossValue, openTemplate, trainForSteps } from './helpers';

/** The chain's edges in order from the input to the output, with their gradient RMS and health flag. */
async function chainEdges(page: Page): Promise<{ id: string; rms: number; health: string | null }[]> {
  const doc = await page.evaluate(() => (window as unknown as { __gradflow: { document(): { nodes: { id: string; type: string }[]; edges: { id: string; source: string; target: string }[] } } }).__gradflow.document());
  const next = new Map(doc.edges.map((e) => [e.source, e]));
  let at = doc.nodes.find((n) => n.type === 'input')!.id;
  const out: { id: string; rms: number; health: string | null }[] = [];
  for (let e = next.get(at); e; e = next.get(at)) {
    const path = page.locator(`[data-testid="gradient-edge"][data-edge-id="${e.id}"]`);
    out.push({ id: e.id, rms: Number(await path.getAttribute('data-grad-rms')), health: await path.getAttribute('data-health') });
    at = e.target;
  }
  return out;
}

/** Trains the template for 20 short epochs (300 steps), then pauses. */
const trainBriefly = (page: Page) => trainForSteps(page, 300);

test('the deep sigmoid stack starves its first layers: ≥ 100× less gradient than the last edge, flagged as vanishing', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'deep-sigmoid');
  await trainBriefly(page);
  const edges = await chainEdges(page);
  // The first hidden edge leaves the first Dense layer; the last edge enters the output.
  const first = edges[1]!;
  const last = edges.at(-1)!;
  const ratio = last.rms / first.rms;
  console.log(`deep sigmoid: last/first gradient RMS = ${ratio.toExponential(2)}`);
  expect(ratio).toBeGreaterThanOrEqual(100);
  expect(first.health).toBe('vanishing');
  await expect(page.locator(`[data-testid="edge-health"][data-health="vanishing"]`).first()).toBeVisible();
  expect(last.health).toBeNull();
});

test('ReLU with He init keeps the gradient within 10× from the last edge to the first, with no flags', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'deep-relu-he');
  await trainBriefly(page);
  const edges = await chainEdges(page);
  const first = edges[1]!;
  const last = edges.at(-1)!;
  const ratio = last.rms / first.rms;
  console.log(`deep ReLU + He: last/first gradient RMS = ${ratio.toExponential(2)}`);
  expect(ratio).toBeLessThan(10);
  expect(ratio).toBeGreaterThan(0.1);
  expect(edges.every((e) => e.health === null)).toBe(true);
  await expect(page.getByTestId('edge-health')).toHaveCount(0);
});

test('every edge gets a gradient color from the scale once training runs; grey before', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  const paths = page.getByTestId('gradient-edge');
  const strokeOf = (i: number) => paths.nth(i).evaluate((el) => getComputedStyle(el).stroke);
  const grey = await strokeOf(0);
  await expect(paths.first()).not.toHaveAttribute('data-grad-rms');
  // 60 epochs of the seeded run end far below ln 3 ≈ 1.1, the loss of a guess among the three arms.
  await trainForSteps(page, 900);
  await expect.poll(() => paths.evaluateAll((els) => els.every((el) => el.hasAttribute('data-grad-rms')))).toBe(true);
  expect(await lossValue(page)).toBeLessThan(0.3);
  const count = await paths.count();
  for (let i = 0; i < count; i++) expect(await strokeOf(i)).not.toBe(grey);
  await expect(page.getByTestId('edge-legend')).toContainText('Gradient RMS');
});
