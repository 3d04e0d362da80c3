import { expect, test } from '@playwright/test';
import { openTemplate } from './helpers';

test("the dataset picker describes the data the template's options generate: the spiral MLP's 3 arms, as its preview draws", async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await expect(page.getByRole('list', { name: 'Classes' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByText(/^3 interleaved spiral arms/)).toBeVisible();
  await expect(page.getByText(/^2 interleaved spiral arms/)).toHaveCount(0);
});
