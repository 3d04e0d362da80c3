import { expect, test } from '@playwright/test';
import { nodeOf, openTemplate, trainForSteps } from './helpers';

/** The CNN views (issue 16): a Conv2D layer's filters, and a test image through every convolution and pooling layer. */

test('a Conv2D inspector shows its filters with their scale, and its feature maps for a chosen test image, layer by layer', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'mnist-cnn');
  await nodeOf(page, 'conv2d').click();
  const filters = page.getByRole('region', { name: 'Learned kernels' });
  await expect(filters).toContainText('Press Train or Step to see the filters');
  await expect(filters.getByRole('button', { name: 'Show feature maps' })).toBeDisabled();
  await trainForSteps(page, 30);

  await expect(filters.getByTestId('conv-filters')).toContainText('8 filters of 3×3 over 1 input channel.');
  await expect(filters.getByRole('img', { name: /^Filter \d+$/ })).toHaveCount(8);
  await expect(filters.getByRole('img', { name: /^Color scale of the kernels: orange at −[\d.e-]+, dark at 0, blue at \+[\d.e-]+$/ })).toBeVisible();

  // The second Conv2D reads 8 channels: a row per filter, a column per input channel (16 × 8 tiles).
  await nodeOf(page, 'conv2d', 1).click();
  await expect(filters.getByTestId('conv-filters')).toContainText('16 filters of 3×3 over 8 input channels: a row per filter, a column per input channel.');
  await expect(filters.getByRole('img', { name: /^Filter \d+, input channel \d+$/ })).toHaveCount(128);

  await filters.getByRole('button', { name: 'Show feature maps' }).click();
  const maps = page.getByTestId('feature-maps');
  const layers = maps.getByTestId('feature-layer');
  await expect(layers).toHaveCount(4);
  expect(await layers.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))).toEqual([
    expect.stringMatching(/: 28×28×8$/),
    expect.stringMatching(/: 14×14×8$/),
    expect.stringMatching(/: 14×14×16$/),
    expect.stringMatching(/: 7×7×16$/),
  ]);
  await expect(layers.nth(2).getByRole('img', { name: /, channel \d+$/ })).toHaveCount(16);
  await expect(maps.getByTestId('feature-sample')).toHaveText(/^1 \/ [\d,]+$/);
  const first = await maps.getByRole('img', { name: /^Test image 1, labelled \w+$/ }).getAttribute('aria-label');
  await maps.getByRole('button', { name: 'Next image' }).click();
  await expect(maps.getByTestId('feature-sample')).toHaveText(/^2 \//);
  await expect(maps.getByRole('img', { name: /^Test image 2, labelled \w+$/ })).toBeVisible();
  expect(first).toMatch(/labelled/);
  await page.keyboard.press('Escape');
  await expect(maps).toHaveCount(0);
});
