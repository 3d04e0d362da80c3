import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { nodeOf, openTemplate } from './helpers';

/** Writes the tab's pending autosave now; resolves to what the save answered ({ ok: true } when written). */
const flushAutosave = (page: Page) => page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<unknown> } }).__gradflow.flushAutosave());
const layers = (page: Page) => page.getByTestId('layer-node');
const documentOf = (page: Page) => page.evaluate(() => (window as unknown as { __gradflow: { document(): { nodes: { type: string; params: Record<string, unknown> }[] } } }).__gradflow.document());
const firstDenseUnits = async (page: Page) => (await documentOf(page)).nodes.find((n) => n.type === 'dense')!.params.units;

/** Two tabs of one browser profile (one IndexedDB, one BroadcastChannel), both on the saved spiral MLP. */
async function twoTabs(page: Page): Promise<{ a: Page; b: Page }> {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  expect(await flushAutosave(page)).toEqual({ ok: true });
  const b = await page.context().newPage();
  await b.goto('/');
  await expect(layers(b)).toHaveCount(7);
  return { a: page, b };
}

test('tab A adds a Tanh, tab B changes a Dense: B is asked, keeps its version as a file, and after a reload nothing is lost', async ({ page }, testInfo) => {
  const { a, b } = await twoTabs(page);

  // Tab A adds a Tanh and saves it.
  await a.getByTestId('palette-item-tanh').click();
  await expect(layers(a)).toHaveCount(8);
  expect(await flushAutosave(a)).toEqual({ ok: true });

  // Tab B, still on the spiral without the Tanh, gives its first Dense 48 units.
  await nodeOf(b, 'dense', 0).click();
  const units = b.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('48');
  await units.press('Enter');
  expect(await firstDenseUnits(b)).toBe(48);

  // B's save does not go over A's: B is asked.
  const dialog = b.getByRole('dialog', { name: 'This model was changed in another tab' });
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(dialog).toContainText('Your changes in this tab were not saved over it');
  await b.screenshot({ path: testInfo.outputPath('tab-conflict.png') });

  const [download] = await Promise.all([b.waitForEvent('download'), dialog.getByRole('button', { name: 'Keep mine as a copy' }).click()]);
  expect(download.suggestedFilename()).toBe('spiral-mlp-relu-copy.gradflow.json');
  const copyPath = testInfo.outputPath('copy.gradflow.json');
  await download.saveAs(copyPath);
  const copy = JSON.parse(await readFile(copyPath, 'utf8')) as { nodes: { type: string; params: { units?: number } }[] };
  expect(copy.nodes).toHaveLength(7);
  expect(copy.nodes.find((n) => n.type === 'dense')!.params.units).toBe(48);

  // B now shows A's version, and says where its own went.
  await expect(dialog).toBeHidden();
  await expect(layers(b)).toHaveCount(8);
  await expect(nodeOf(b, 'tanh')).toBeVisible();
  await expect(b.getByTestId('notice')).toContainText('Your version was downloaded as spiral-mlp-relu-copy.gradflow.json');
  expect(await flushAutosave(b)).toEqual({ ok: true });

  // A goes on saving: B wrote nothing over it.
  await a.getByTestId('palette-item-relu').click();
  await expect(layers(a)).toHaveCount(9);
  expect(await flushAutosave(a)).toEqual({ ok: true });

  // A reload has A's Tanh and ReLU; B's 48 units are in the copy.
  await b.reload();
  await expect(layers(b)).toHaveCount(9);
  await expect(nodeOf(b, 'tanh')).toBeVisible();
  expect(await firstDenseUnits(b)).toBe(32);
});

test('a tab with no changes of its own is offered the latest version quietly, and loads it', async ({ page }, testInfo) => {
  const { a, b } = await twoTabs(page);
  await a.getByTestId('palette-item-tanh').click();
  await expect(layers(a)).toHaveCount(8);
  expect(await flushAutosave(a)).toEqual({ ok: true });

  const bar = b.getByTestId('tab-sync-bar');
  await expect(bar).toHaveText(/This model was changed in another tab\./, { timeout: 15_000 });
  await expect(b.getByRole('dialog')).toHaveCount(0);
  await b.screenshot({ path: testInfo.outputPath('tab-behind.png') });
  await bar.getByRole('button', { name: 'Load the latest' }).click();
  await expect(bar).toBeHidden();
  await expect(layers(b)).toHaveCount(8);

  // Undo brings back what the tab showed, and saving it is a choice made with the other version in view.
  await b.getByRole('button', { name: 'Undo' }).click();
  await expect(layers(b)).toHaveCount(7);
  expect(await flushAutosave(b)).toEqual({ ok: true });
});

test('a CSV uploaded in tab A is a save tab B sees: B’s own upload is not kept over it, and loading A’s version brings A’s CSV', async ({ page }) => {
  const csvText = (label: string) => ['x,y,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 7) - 3},${(i % 5) - 2},${label}${i % 2}`)].join('\n');
  const upload = (tab: Page, name: string) => tab.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csvText(name.slice(0, 1))) });
  const chosenCsv = (tab: Page) => tab.locator('#dataset option:checked');
  const keep = (tab: Page) => tab.getByTestId('csv-keep');

  // Both tabs on the spiral MLP trained on a kept CSV.
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('csv');
  await upload(page, 'first.csv');
  await expect(keep(page)).toHaveAttribute('data-state', 'kept', { timeout: 30_000 });
  expect(await flushAutosave(page)).toEqual({ ok: true });
  const a = page;
  const b = await page.context().newPage();
  await b.goto('/');
  await expect(layers(b)).toHaveCount(7);
  await b.getByRole('button', { name: /^Dataset/ }).click();
  await expect(chosenCsv(b)).toHaveText('CSV: first.csv');

  // A uploads another CSV: kept, and B (no changes of its own) is told quietly.
  await upload(a, 'another.csv');
  await expect(chosenCsv(a)).toHaveText('CSV: another.csv');
  await expect(keep(a)).toHaveAttribute('data-state', 'kept', { timeout: 30_000 });
  await expect(b.getByTestId('tab-sync-bar')).toHaveText(/This model was changed in another tab\./, { timeout: 15_000 });

  // B uploads its own: not kept over A's, and B is asked.
  await upload(b, 'bees.csv');
  const dialog = b.getByRole('dialog', { name: 'This model was changed in another tab' });
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Load their version' }).click();
  await expect(dialog).toBeHidden();
  await expect(chosenCsv(b)).toHaveText('CSV: another.csv');
  await expect(keep(b)).toHaveAttribute('data-state', 'kept');

  // A reload of either tab brings back A's graph with A's CSV.
  await b.reload();
  await b.getByRole('button', { name: /^Dataset/ }).click();
  await expect(chosenCsv(b)).toHaveText('CSV: another.csv');
  await a.reload();
  await a.getByRole('button', { name: /^Dataset/ }).click();
  await expect(chosenCsv(a)).toHaveText('CSV: another.csv');
});
