import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openTemplate } from './helpers';

/** A name with no place to break a line, as a pasted hash or a generated id would be. */
const LONG_NAME = 'W'.repeat(120);
const VIEWPORT = { width: 1280, height: 720 };

test.use({ viewport: VIEWPORT });

/** Whether the element's box lies wholly inside the viewport. */
async function expectInViewport(page: Page, element: Locator): Promise<void> {
  await expect(element).toBeVisible();
  const box = (await element.boundingBox())!;
  const { width, height } = page.viewportSize()!;
  expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(box.y, 'top edge').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(width);
  expect(box.y + box.height, 'bottom edge').toBeLessThanOrEqual(height);
}

test('opening a model with a 120-character unbroken name: the question wraps and both answers stay on screen', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'iris');

  const spiral = JSON.parse(await readFile('examples/spiral-mlp.json', 'utf8')) as Record<string, unknown>;
  const fileName = `${'F'.repeat(120)}.gradflow.json`;
  await page.getByLabel('Model file to open').setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...spiral, name: LONG_NAME })) });

  const dialog = page.getByRole('dialog', { name: /^Open/ });
  await expect(dialog).toBeVisible();
  const open = dialog.getByRole('button', { name: /^Open/ });
  const keep = dialog.getByRole('button', { name: 'Keep my graph' });
  await expectInViewport(page, dialog);
  await expectInViewport(page, open);
  await expectInViewport(page, keep);
  // The title and the description wrap inside the dialog rather than running past its edge.
  for (const text of [dialog.getByRole('heading'), dialog.getByText(/^\d+ layers, \d+ edges, from /)]) {
    const fits = await text.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= el.closest('dialog')!.getBoundingClientRect().right);
    expect(fits).toBe(true);
  }
  await expect(dialog.getByText(/^\d+ layers/)).toHaveText(/^7 layers, 6 edges, from F+/);
  // The full name is still there for anyone who wants it, and the button still says what it opens.
  await expect(dialog.getByRole('heading')).toHaveAttribute('title', `Open “${LONG_NAME}”?`);
  await expect(open).toHaveAccessibleName(`Open “${LONG_NAME}”`);
  await page.screenshot({ path: testInfo.outputPath('open-dialog-1280x720.png') });

  await open.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('layer-node')).toHaveCount(spiral.nodes instanceof Array ? spiral.nodes.length : 0);
});
