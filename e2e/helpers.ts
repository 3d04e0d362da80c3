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

/** The document in the graph store, as JSON text (through the app's test hook). */
export async function documentJson(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify((window as unknown as { __gradflow: { document(): unknown } }).__gradflow.document()));
}
