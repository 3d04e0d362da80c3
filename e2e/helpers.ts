import { expect, type Page } from '@playwright/test';

/** Opens a template from the gallery, as a user would. */
export async function openTemplate(page: Page, id: string): Promise<void> {
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.getByTestId(`template-${id}`).click();
  await expect(page.getByTestId('layer-node').first()).toBeVisible();
}

/** The loss readout as a number. */
export async function lossValue(page: Page): Promise<number> {
  return Number(await page.getByTestId('loss-value').textContent());
}

/** The document in the graph store (through the app's test hook), as JSON text with sorted keys, so equal documents give equal text. */
export async function documentJson(page: Page): Promise<string> {
  const doc = await page.evaluate(() => (window as unknown as { __gradflow: { document(): unknown } }).__gradflow.document());
  return JSON.stringify(doc, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
}
