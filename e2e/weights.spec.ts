import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../engine/export/safetensors';
import { openTemplate } from './helpers';

// Issue 15: trained weights leave the tab as .safetensors (Export → Weights only, or Ctrl+Shift+S) and come back onto a
// matching graph (Open, or a drop on the canvas), checked by name and shape.

async function exportWeights(page: Page): Promise<{ name: string; tensors: NamedTensor[]; metadata: Record<string, string>; bytes: Buffer }> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /^Weights only/ }).check();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  const bytes = readFileSync((await download.path())!);
  const file = decodeSafetensors(new Uint8Array(bytes));
  return { name: download.suggestedFilename(), ...file, bytes };
}

async function openWeights(page: Page, name: string, buffer: Buffer | Uint8Array): Promise<void> {
  await page.getByLabel('Model file to open').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(buffer) });
}

const step = async (page: Page, to: number) => {
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('step-count')).toHaveText(String(to), { timeout: 60_000 });
};

test('Export → Weights only saves the run’s weights as safetensors; opening them starts the run from exactly those weights', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  // Nothing trained yet: nothing to export, and the app says what to do.
  await page.keyboard.press('ControlOrMeta+Shift+S');
  await expect(page.getByTestId('notice')).toContainText('Press Train or Step first');

  for (let i = 1; i <= 3; i++) await step(page, i);
  const trained = await exportWeights(page);
  expect(trained.name).toMatch(/\.safetensors$/);
  expect(trained.metadata).toMatchObject({ producer: 'gradflow', steps: '3' });
  expect(trained.tensors.map((t) => t.name)).toContain('dense_1.kernel');
  expect(trained.tensors.every((t) => t.data.length === t.shape.reduce((a, b) => a * b, 1))).toBe(true);

  // Train on, so the run's weights move away from the file's.
  for (let i = 4; i <= 6; i++) await step(page, i);
  const moved = await exportWeights(page);
  expect(Buffer.from(moved.tensors[0]!.data.buffer).equals(Buffer.from(trained.tensors[0]!.data.buffer))).toBe(false);

  // Open the file: the run starts over (step 0) from exactly its weights.
  await openWeights(page, trained.name, trained.bytes);
  await expect(page.getByTestId('notice')).toContainText(`Loaded ${trained.tensors.length} tensors from ${trained.name}`);
  await expect(page.getByTestId('step-count')).toHaveText('0');
  const reloaded = await exportWeights(page);
  expect(reloaded.metadata.steps).toBe('0');
  expect(reloaded.tensors.map((t) => [t.name, t.shape])).toEqual(trained.tensors.map((t) => [t.name, t.shape]));
  reloaded.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from(trained.tensors[i]!.data.buffer)), t.name).toBe(true));
  // And training goes on from there.
  await step(page, 1);
});

test('weights for another graph, and a damaged file, are refused with the reason; the run keeps its weights', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await step(page, 1);
  const before = await exportWeights(page);

  // The same names with another shape, a tensor missing, and one this graph does not have.
  const [first, ...rest] = before.tensors;
  const wrong = encodeSafetensors([
    { name: first!.name, shape: [first!.shape[0]!, first!.shape[1]! + 1], data: new Float32Array(first!.shape[0]! * (first!.shape[1]! + 1)) },
    ...rest.slice(1),
    { name: 'conv2d_7.kernel', shape: [3, 3, 1, 4], data: new Float32Array(36) },
  ]);
  await openWeights(page, 'other.safetensors', wrong);
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('other.safetensors cannot be used:');
  await expect(notice).toContainText(`${first!.name} is [${first!.shape[0]}, ${first!.shape[1]! + 1}] in the file, but [${first!.shape.join(', ')}] in this graph`);
  await expect(notice).toContainText(`${rest[0]!.name} [${rest[0]!.shape.join(', ')}] is not in the file`);
  await expect(notice).toContainText('conv2d_7.kernel [3, 3, 1, 4] is in the file, but this graph has no such tensor');
  await expect(notice).toContainText('Your graph and its run were not changed.');

  await openWeights(page, 'cut.safetensors', before.bytes.subarray(0, before.bytes.length - 10));
  await expect(notice).toContainText('cut.safetensors cannot be used: not a readable safetensors file:');

  await expect(page.getByTestId('step-count')).toHaveText('1');
  const after = await exportWeights(page);
  after.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from(before.tensors[i]!.data.buffer)), t.name).toBe(true));
});

test('Export “Model + trained weights” writes one file that opens elsewhere with exactly those weights; damaged ones are refused', async ({ page, browser }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  // No run yet: the weight choices are there, off, and say why.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: /^Model \+ trained weights/ })).toBeDisabled();
  await expect(dialog.getByRole('radio', { name: /^Weights only/ })).toBeDisabled();
  await expect(dialog.getByTestId('export-content')).toContainText('Train or Step first');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  for (let i = 1; i <= 3; i++) await step(page, i);
  const trained = await exportWeights(page);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByRole('radio', { name: /^Model \+ trained weights/ }).check();
  await expect(dialog).toContainText('after 3 steps');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.gradflow\.json$/);
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const file = JSON.parse(readFileSync(path, 'utf8')) as { weights: { format: string; encoding: string; data: string } };
  expect(file.weights).toMatchObject({ format: 'safetensors', encoding: 'base64' });
  const embedded = decodeSafetensors(new Uint8Array(Buffer.from(file.weights.data, 'base64')));
  expect(embedded.tensors.map((t) => [t.name, t.shape])).toEqual(trained.tensors.map((t) => [t.name, t.shape]));
  embedded.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from(trained.tensors[i]!.data.buffer)), t.name).toBe(true));

  // Another browser profile opens the file: the graph, and its run at step 0 from exactly those weights.
  const other = await browser.newPage();
  await other.goto('/');
  await other.getByLabel('Model file to open').setInputFiles(path);
  await expect(other.getByTestId('notice')).toContainText(`Its run starts from the trained weights it carries (${trained.tensors.length} tensors).`);
  await expect(other.getByTestId('step-count')).toHaveText('0');
  const opened = await exportWeights(other);
  opened.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from(trained.tensors[i]!.data.buffer)), t.name).toBe(true));
  await step(other, 1);

  // Weights cut short inside the file: refused as a whole, naming the field; the graph stays.
  const cut = { ...file, weights: { ...file.weights, data: Buffer.from(file.weights.data, 'base64').subarray(0, 100).toString('base64') } };
  await other.getByLabel('Model file to open').setInputFiles({ name: 'cut.gradflow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(cut)) });
  await expect(other.getByTestId('notice')).toContainText('cut.gradflow.json: weights: not a readable safetensors file:');
  await expect(other.getByTestId('notice')).toContainText('Your graph was not changed.');
  await expect(other.getByTestId('step-count')).toHaveText('1');
  await other.close();
});

test('Share carries the trained weights in the link: it opens elsewhere with exactly those weights', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await step(page, 1);
  await step(page, 2);
  const trained = await exportWeights(page);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId('notice')).toContainText('Anyone who opens it gets this model and its trained weights.');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#model=[\w-]+&weights=[\w-]+$/);

  await page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<void> } }).__gradflow.flushAutosave());
  const other = await context.newPage();
  await other.goto(link);
  // This profile autosaved the spiral graph from the first page, so it asks before replacing it.
  const ask = other.getByRole('dialog', { name: /^Open/ });
  await expect(ask).toContainText('with trained weights');
  await ask.getByRole('button', { name: /^Open/ }).click();
  await expect(other.getByTestId('notice')).toContainText(`Its run starts from the trained weights it carries (${trained.tensors.length} tensors).`);
  await expect(other.getByTestId('step-count')).toHaveText('0');
  const opened = await exportWeights(other);
  opened.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from(trained.tensors[i]!.data.buffer)), t.name).toBe(true));
});
