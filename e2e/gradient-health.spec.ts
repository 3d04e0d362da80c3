import { expect, test, type Page } from '@playwright/test';
import { nodeOf, openTemplate, trainToDivergence } from './helpers';

const status = (page: Page) => page.getByRole('status', { name: 'Training status' });

/** The id of the first edge leaving the first node of a type (through the app's test hook). */
async function edgeOutOf(page: Page, type: string): Promise<string> {
  return page.evaluate((t) => {
    const doc = (window as unknown as { __gradflow: { document(): { nodes: { id: string; type: string }[]; edges: { id: string; source: string }[] } } }).__gradflow.document();
    const node = doc.nodes.find((n) => n.type === t)!.id;
    return doc.edges.find((e) => e.source === node)!.id;
  }, type);
}

test('a ReLU layer reads dead units (zero for every sample) apart from sparsity, and does not call half its outputs dead', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await nodeOf(page, 'relu').click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const readout = page.getByTestId('dead-units');
  await expect(readout).toContainText(/Dead units: \d+ of 32 \(zero for every sample in the batch\)/, { timeout: 60_000 });
  await expect(readout).toContainText(/Zeros: (<1|>99|\d+)% of outputs/);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status(page)).not.toHaveText('Training', { timeout: 30_000 });
  await expect(page.getByTestId('node-training-stats')).not.toContainText('many units are dead');
  // The edge out of the ReLU says the same two things.
  await page.locator(`[data-testid="gradient-edge"][data-edge-id="${await edgeOutOf(page, 'relu')}"]`).click({ force: true });
  await expect(page.getByTestId('edge-dead-units')).toHaveText(/^\d+ of 32$/);
  await expect(page.getByTestId('edge-zeros')).toHaveText(/% of outputs$/);
});

test('the deep sigmoid stack is told to replace its sigmoids', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'deep-sigmoid');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const vanishing = page.locator('[data-testid="edge-health"][data-health="vanishing"]').first();
  await expect(vanishing).toHaveAttribute('aria-label', /^Vanishing gradient: 1\/[\d.e]+ of the gradient at the loss\..*instead of Sigmoid\./, { timeout: 60_000 });
});

test('a diverged all-ReLU run is never told about sigmoids, and its flags print no non-finite ratio', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await trainToDivergence(page);
  await expect(status(page)).toHaveText('Diverged', { timeout: 60_000 });
  const flags = await page.getByTestId('edge-health').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  console.log(`diverged all-ReLU run: ${flags.length} health flags${flags.length ? `: ${flags.join(' | ')}` : ''}`);
  for (const text of flags) expect(text).not.toMatch(/Infinity|NaN|sigmoid|tanh/i);
});
