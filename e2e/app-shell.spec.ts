import { expect, test } from '@playwright/test';
import { LAYER_TYPES } from '../engine/layers/registry';

// Every layer id the palette must offer: the registry's. They are the stable test hooks `palette-item-<type>`.

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('opens on the three-pane workspace with the Gradflow header', async ({ page }) => {
  await expect(page).toHaveTitle('Gradflow');
  const header = page.getByRole('banner');
  await expect(header).toContainText('Gradflow');
  await expect(page.getByRole('complementary', { name: 'Layer palette' })).toBeVisible();
  await expect(page.getByRole('main', { name: 'Model canvas' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Inspector and training' })).toBeVisible();

  // The shell fills the viewport; only the panels scroll.
  const pageHeight = await page.evaluate<number>('document.documentElement.scrollHeight');
  expect(pageHeight).toBeLessThanOrEqual(page.viewportSize()?.height ?? 0);
});

test('shows an empty canvas with its controls and a hint (the minimap waits for a first layer)', async ({ page }) => {
  const canvas = page.getByRole('main', { name: 'Model canvas' });
  await expect(canvas.locator('.react-flow')).toBeVisible();
  await expect(canvas.locator('.react-flow__pane')).toBeVisible();
  await expect(canvas.locator('.react-flow__background')).toBeVisible();
  await expect(canvas.locator('.react-flow__minimap')).toHaveCount(0);
  await expect(canvas.getByRole('button', { name: 'Zoom In' })).toBeVisible();
  await expect(canvas.getByRole('button', { name: 'Fit View' })).toBeVisible();
  await expect(canvas.locator('.react-flow__node')).toHaveCount(0);
  await expect(canvas.getByText('Drag layers from the palette to start')).toBeVisible();

  // The pane fills the space between the palette and the right panel.
  const pane = await canvas.locator('.react-flow__pane').boundingBox();
  expect(pane?.width).toBeGreaterThan(700);
  expect(pane?.height).toBeGreaterThan(550);
});

test('lists every layer in the palette, grouped by category', async ({ page }) => {
  const palette = page.getByRole('complementary', { name: 'Layer palette' });
  for (const type of LAYER_TYPES) {
    await expect(palette.getByTestId(`palette-item-${type}`)).toHaveCount(1);
  }
  await expect(palette.getByTestId(/^palette-item-/)).toHaveCount(LAYER_TYPES.length);

  const dense = palette.getByTestId('palette-item-dense');
  await expect(dense).toBeVisible();
  await expect(dense).toContainText('Dense');
  await expect(palette.getByRole('region', { name: 'Core' })).toContainText('Dense');
  await expect(palette.getByRole('region', { name: 'Merge' })).toContainText('Add');
});

test('filters the palette as the user types', async ({ page }) => {
  const palette = page.getByRole('complementary', { name: 'Layer palette' });
  const items = palette.getByTestId(/^palette-item-/);
  const search = palette.getByRole('searchbox', { name: 'Search layers' });

  await search.fill('conv');
  await expect(palette.getByTestId('palette-item-conv2d')).toBeVisible();
  await expect(palette.getByTestId('palette-item-dense')).toHaveCount(0);
  await expect(palette.getByTestId('palette-item-concat')).toHaveCount(0);
  const narrowed = await items.count();
  expect(narrowed).toBeGreaterThan(0);
  expect(narrowed).toBeLessThan(LAYER_TYPES.length);

  await search.fill('no such layer');
  await expect(items).toHaveCount(0);
  await expect(palette.getByText('No layers match')).toBeVisible();
  await palette.getByRole('button', { name: 'Show all layers' }).click();
  await expect(items).toHaveCount(LAYER_TYPES.length);
  await expect(search).toHaveValue('');

  await search.fill('leaky');
  await expect(items).toHaveCount(1);
  await palette.getByRole('button', { name: 'Clear search' }).click();
  await expect(items).toHaveCount(LAYER_TYPES.length);
  await expect(search).toBeFocused();
});

test('focuses the palette search with "/" and clears it with Escape', async ({ page }) => {
  const search = page.getByRole('searchbox', { name: 'Search layers' });
  await page.locator('body').press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('softmax');
  await expect(page.getByTestId(/^palette-item-/)).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId(/^palette-item-/)).toHaveCount(LAYER_TYPES.length);
});

test('shows the inspector empty state and training controls that wait for a model', async ({ page }) => {
  const panel = page.getByRole('complementary', { name: 'Inspector and training' });
  await expect(panel.getByRole('region', { name: 'Inspector' })).toContainText('Select a layer to see its parameters');
  const training = panel.getByRole('region', { name: 'Training' });
  for (const name of ['Train', 'Pause', 'Step', 'Reset']) {
    await expect(training.getByRole('button', { name, exact: true })).toBeDisabled();
  }
});

test('the About view credits every shipped dataset and closes with Escape', async ({ page }) => {
  await page.getByRole('button', { name: 'About Gradflow and its datasets' }).click();
  const about = page.getByRole('dialog', { name: 'About Gradflow' });
  await expect(about).toBeVisible();
  const credits = about.getByTestId('dataset-attributions');
  for (const text of ['Yann LeCun', 'Zalando', 'Fisher 1936', 'Palmer Station', 'Melville']) await expect(credits).toContainText(text);
  await page.keyboard.press('Escape');
  await expect(about).toBeHidden();
});
