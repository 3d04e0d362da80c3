import { expect, test, type Page } from '@playwright/test';
import { openTemplate, trainForSteps } from './helpers';

const status = (page: Page) => page.getByRole('status', { name: 'Training status' });
const edges = (page: Page) => page.getByTestId('gradient-edge');
const edgesWithData = (page: Page) => page.locator('[data-testid="gradient-edge"][data-grad-rms]');

/** After a run, everything it showed: gradient colors, the loss and test accuracy, the boundary. */
async function trainSpiral(page: Page): Promise<void> {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await trainForSteps(page, 150);
  await expect(edgesWithData(page)).toHaveCount(await edges(page).count());
  await expect(page.getByTestId('loss-value')).toBeVisible();
  await expect(page.getByText(/test acc \d/)).toBeVisible();
  await expect(page.getByTestId('decision-boundary')).toHaveAttribute('data-state', 'predicted');
}

/** Nothing of the old run is shown: grey edges, no loss, no test accuracy, no boundary, no progress. */
async function expectNoRun(page: Page): Promise<void> {
  await expect(edgesWithData(page)).toHaveCount(0);
  await expect(page.getByTestId('loss-value')).toHaveCount(0);
  await expect(page.getByText(/test acc \d/)).toHaveCount(0);
  await expect(page.getByTestId('step-count')).toHaveText('–');
  await expect(status(page)).toHaveText('Idle');
  await expect(page.locator('[data-testid="decision-boundary"][data-state="predicted"]')).toHaveCount(0);
}

test('changing the dataset clears every view of the old run at once; the next Train fills them again', async ({ page }) => {
  await trainSpiral(page);
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('gaussian');
  await expectNoRun(page);
  await trainForSteps(page, 20);
  await expect(edgesWithData(page)).toHaveCount(await edges(page).count());
});

test('opening another model after a run shows none of the old run, even on edges with the same ids', async ({ page }) => {
  await trainSpiral(page);
  await openTemplate(page, 'deep-relu-he');
  await expectNoRun(page);
});

test('editing a layer after a run clears the run: its node stats are not shown for the edited layer', async ({ page }) => {
  await trainSpiral(page);
  const dense = page.locator('[data-testid="layer-node"][data-layer-type="dense"]').first();
  await dense.click();
  const units = page.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('16');
  await units.press('Enter');
  await expectNoRun(page);
  await expect(page.getByRole('region', { name: 'Inspector' }).getByText(/Weight norm/i)).toHaveCount(0);
});
