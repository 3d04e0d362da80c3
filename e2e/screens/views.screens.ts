/**
 * Each view at its best and its worst, as PNGs in test-results/screens/ (see playwright.config.ts
 * here). A person looks at these; the expectations only make sure the view is on screen.
 */
import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { nodeOf, openTemplate, trainForSteps, trainToDivergence } from '../helpers';

const OUT = fileURLToPath(new URL('../../test-results/screens/', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${OUT}${name}.png` });

async function setEpochs(page: Page, epochs: number): Promise<void> {
  const field = page.getByLabel('Epochs', { exact: true });
  if (!(await field.isVisible())) await page.getByRole('button', { name: /^Settings/ }).click();
  await field.fill(String(epochs));
  await field.press('Enter');
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('main', { name: 'Model canvas' })).toBeVisible();
});

test('empty and untrained', async ({ page }) => {
  await shot(page, 'empty');
  await openTemplate(page, 'spiral-mlp');
  await shot(page, 'template-untrained');
});

test('spiral training and an edge inspected', async ({ page }) => {
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 30_000 });
  await page.getByTestId('gradient-edge').nth(2).click({ force: true });
  await expect(page.getByTestId('edge-inspector')).toBeVisible();
  await shot(page, 'spiral-trained-edge');
});

test('deep sigmoid vanishing', async ({ page }) => {
  await openTemplate(page, 'deep-sigmoid');
  await setEpochs(page, 10_000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForTimeout(2500);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await shot(page, 'deep-sigmoid');
});

test('images: samples and confusion', async ({ page }) => {
  await openTemplate(page, 'mnist-mlp');
  await setEpochs(page, 1);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('sample-grid')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 90_000 });
  await shot(page, 'mnist-trained');
});

test('divergence', async ({ page }) => {
  await openTemplate(page, 'spiral-mlp');
  await trainToDivergence(page);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Diverged', { timeout: 20_000 });
  await shot(page, 'divergence');
});

test('graph error', async ({ page }) => {
  await openTemplate(page, 'spiral-mlp');
  await nodeOf(page, 'dense', 2).click();
  const units = page.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('7');
  await units.press('Enter');
  await expect(page.locator('[data-testid="layer-node"][data-error]').first()).toBeVisible();
  await shot(page, 'graph-error');
});

test('sequence datasets in the picker', async ({ page }) => {
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('moby_dick');
  await page.waitForTimeout(1500);
  await shot(page, 'picker-moby-dick');
  await page.locator('#dataset').selectOption('recall');
  await page.waitForTimeout(500);
  await shot(page, 'picker-recall');
});

test('sequences: char LSTM with time gradients and text, attention view, memory RNN', async ({ page }) => {
  await openTemplate(page, 'char-lstm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForTimeout(6000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.locator('[data-testid="gradient-edge"][data-edge-id="e2"]').click({ force: true });
  await page.getByRole('region', { name: 'Generate text' }).getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('sample-text-output')).toHaveText(/^Call me Ishmael/);
  await shot(page, 'char-lstm');

  await openTemplate(page, 'tiny-transformer');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForTimeout(6000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await nodeOf(page, 'attention').click();
  await page.getByTestId('open-attention-view').click();
  await expect(page.getByTestId('attention-view').getByRole('img').first()).toBeVisible();
  await shot(page, 'attention');
  await page.keyboard.press('Escape');

  await openTemplate(page, 'memory-rnn');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForTimeout(5000);
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  if (await pause.isEnabled()) await pause.click();
  await page.locator('[data-testid="gradient-edge"][data-edge-id="e2"]').click({ force: true });
  await shot(page, 'memory-rnn');
});

test('unit maps: a unit hovered, with its weights', async ({ page }) => {
  await openTemplate(page, 'spiral-mlp');
  await trainForSteps(page, 1500);
  await page.getByTestId('unit-maps').first().getByTestId('unit-map').nth(3).hover();
  await expect(page.getByTestId('unit-card')).toBeVisible();
  await shot(page, 'unit-maps');
});

test('distributions over time: an edge and a layer', async ({ page }) => {
  await openTemplate(page, 'deep-relu-he');
  await page.getByTestId('gradient-edge').nth(1).click({ force: true });
  await trainForSteps(page, 2000);
  await page.getByTestId('distribution').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('distribution-readout')).toBeVisible();
  await shot(page, 'distribution-edge');
  await nodeOf(page, 'dense').click();
  await page.getByTestId('distribution').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('distribution-readout')).toBeVisible();
  await shot(page, 'distribution-weights');
});

test('step slowly: the backward pass half way', async ({ page }) => {
  await page.clock.install();
  await page.reload();
  await openTemplate(page, 'residual-mlp');
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  await page.getByTestId('canvas-bar').getByRole('button', { name: 'Step slowly' }).click();
  await expect(page.getByTestId('backprop-wave')).toBeVisible();
  await page.clock.runFor(1200);
  await shot(page, 'backprop-wave');
});

test('seed lessons: overfitting and learning rate too high', async ({ page }) => {
  await openTemplate(page, 'overfit-dropout');
  await trainForSteps(page, 1000);
  await shot(page, 'overfit-dropout');
  await openTemplate(page, 'lr-too-high');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Diverged', { timeout: 60_000 });
  await shot(page, 'lr-too-high');
});

test('CNN views: filters and feature maps', async ({ page }) => {
  await openTemplate(page, 'mnist-cnn');
  await nodeOf(page, 'conv2d').click();
  await trainForSteps(page, 300);
  await expect(page.getByTestId('conv-filters')).toBeVisible();
  await shot(page, 'cnn-filters');
  await page.getByRole('button', { name: 'Show feature maps' }).click();
  await expect(page.getByTestId('feature-layer')).toHaveCount(4);
  await shot(page, 'cnn-feature-maps');
});

test('compare runs: deep sigmoid against ReLU + He', async ({ page }) => {
  await openTemplate(page, 'deep-sigmoid');
  await trainForSteps(page, 600);
  await openTemplate(page, 'deep-relu-he');
  await trainForSteps(page, 600);
  await page.getByRole('button', { name: 'Compare runs' }).click();
  await expect(page.getByTestId('runs-chart')).toHaveCount(3);
  await shot(page, 'compare-runs');
});
