import { expect, type Locator, type Page } from '@playwright/test';

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

export const canvas = (page: Page) => page.getByRole('main', { name: 'Model canvas' });
export const nodeOf = (page: Page, type: string, nth = 0): Locator => page.locator(`[data-testid="layer-node"][data-layer-type="${type}"]`).nth(nth);

/** Drags a layer from the palette onto the canvas at (x, y) relative to the canvas' top-left. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-item-${type}`).dragTo(canvas(page).locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Wires the output handle of one node to the (first) input handle of another, with the mouse. */
export async function wire(page: Page, from: Locator, to: Locator): Promise<void> {
  const source = from.locator('xpath=..').locator('.react-flow__handle.source');
  const target = to.locator('xpath=..').locator('.react-flow__handle.target').first();
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}


/**
 * Turns the open spiral template into a run that diverges: a regression (MSE) on the sine with
 * plain SGD at rate 10 overflows within a few steps. Then presses Train.
 */
export async function trainToDivergence(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('sine');
  await nodeOf(page, 'dense', 2).click();
  const units = page.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('1');
  await units.press('Enter');
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
  await page.getByRole('button', { name: /^Settings/ }).click();
  await page.getByLabel('Optimizer').selectOption('sgd');
  const lr = page.getByRole('spinbutton', { name: /Learning rate/ }).or(page.getByRole('textbox', { name: /Learning rate/ }));
  await lr.first().fill('10');
  await lr.first().press('Enter');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

/** The step counter of the run readout. */
export const stepCount = async (page: Page): Promise<number> => Number((await page.getByTestId('step-count').textContent())!.replace(/,/g, '') || 0);

/**
 * Trains until the run has taken at least `steps` steps, then pauses and waits for the pause:
 * the measure of progress is the run's own, so a slow or busy machine only makes it take longer.
 */
export async function trainForSteps(page: Page, steps: number): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(steps);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused', { timeout: 30_000 });
}
