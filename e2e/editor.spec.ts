import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { canvas, documentJson, dragFromPalette, nodeOf, openTemplate, wire } from './helpers';

async function buildMlp(page: Page): Promise<void> {
  const types = ['input', 'dense', 'relu', 'dense', 'output'];
  for (const [i, type] of types.entries()) await dragFromPalette(page, type, 300, 60 + i * 130);
  await expect(page.getByTestId('layer-node')).toHaveCount(5);
  const chain = [nodeOf(page, 'input'), nodeOf(page, 'dense', 0), nodeOf(page, 'relu'), nodeOf(page, 'dense', 1), nodeOf(page, 'output')];
  for (let i = 0; i + 1 < chain.length; i++) await wire(page, chain[i]!, chain[i + 1]!);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(4);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('builds Input → Dense → ReLU → Dense → Output by dragging and wiring, with shapes, errors, fixes, undo and redo', async ({ page }) => {
  await buildMlp(page);

  // Shapes on the edges: spiral points are 2 numbers, Dense makes 32.
  const labels = canvas(page).locator('.react-flow__edgelabel-renderer');
  await expect(labels).toContainText('2');
  await expect(labels).toContainText('32');

  // The last Dense still has 32 units, but spiral has 2 classes: the output says so.
  const output = nodeOf(page, 'output');
  await expect(output).toHaveAttribute('data-error', /32 values per sample, but Spiral has 2 classes/);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  // The training panel lists the problem with its layer; clicking it opens that layer in the inspector.
  const problem = page.getByRole('list', { name: 'Problems' }).getByRole('button', { name: /output_1: .*32 values per sample/ });
  await problem.click();
  await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'Output', exact: true })).toBeVisible();

  // Fix it in the inspector.
  await nodeOf(page, 'dense', 1).click();
  const units = page.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('0');
  await units.press('Enter');
  await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('alert')).toContainText('Units must be at least 1, got 0');
  await expect(units).toHaveValue('32');
  await units.fill('2');
  await units.press('Enter');
  await expect(output).not.toHaveAttribute('data-error');
  await expect(nodeOf(page, 'dense', 1)).toContainText('Dense2');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();

  // Undo brings the error back; redo fixes it again.
  await canvas(page).locator('.react-flow__pane').click({ position: { x: 650, y: 320 } });
  await page.keyboard.press('Control+z');
  await expect(output).toHaveAttribute('data-error', /32 values per sample/);
  await page.keyboard.press('Control+Shift+z');
  await expect(output).not.toHaveAttribute('data-error');

  // Deleting a node takes its edges; undo restores both in one step.
  await nodeOf(page, 'relu').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('layer-node')).toHaveCount(4);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-node')).toHaveCount(5);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(4);
});

test('refuses a second input into a single-input layer and says why', async ({ page }) => {
  await dragFromPalette(page, 'input', 200, 80);
  await dragFromPalette(page, 'dense', 500, 80);
  await dragFromPalette(page, 'relu', 350, 300);
  await wire(page, nodeOf(page, 'input'), nodeOf(page, 'relu'));
  await wire(page, nodeOf(page, 'dense'), nodeOf(page, 'relu'));
  await expect(page.getByTestId('gradient-edge')).toHaveCount(1);
  await expect(page.getByTestId('notice')).toContainText('takes one input and it is already connected');
});

test('exports and re-imports the identical graph; reload restores it; an invalid file is refused', async ({ page }, testInfo) => {
  await buildMlp(page);
  const before = await documentJson(page);

  // Export asks what to export: the model alone is the default.
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByRole('radio', { name: /^Model The graph/ })).toBeChecked();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('dialog').getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe('model.gradflow.json');
  const path = testInfo.outputPath('model.gradflow.json');
  await download.saveAs(path);
  const text = await readFile(path, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'gradflow.model', version: 1 });

  // Reload: the autosaved graph comes back exactly.
  await page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<void> } }).__gradflow.flushAutosave());
  await page.reload();
  await expect(page.getByTestId('layer-node')).toHaveCount(5);
  expect(await documentJson(page)).toBe(before);

  // An invalid file is refused with what and where; the graph stays.
  await page.getByLabel('Model file to open').setInputFiles({ name: 'broken.gradflow.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "gradflow.model", "version": 1, "nodes": [{"id": "a"}], "edges": []}') });
  await expect(page.getByTestId('notice')).toContainText('broken.gradflow.json');
  await expect(page.getByTestId('notice')).toContainText('nodes[0].type');
  expect(await documentJson(page)).toBe(before);

  // Start over, then import the exported file: asked first, then the identical graph.
  await openTemplate(page, 'iris');
  await page.getByLabel('Model file to open').setInputFiles(path);
  await page.getByRole('dialog', { name: /Open/ }).getByRole('button', { name: /^Open/ }).click();
  await expect(page.getByTestId('layer-node')).toHaveCount(5);
  expect(await documentJson(page)).toBe(before);
});

test('a template opens and compiles without errors', async ({ page }) => {
  await openTemplate(page, 'deep-sigmoid');
  const nodes = page.getByTestId('layer-node');
  expect(await nodes.count()).toBeGreaterThan(10);
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Summary' }).click();
  await expect(page.getByTestId('summary-total')).not.toHaveText('0');
});

test('double-click on empty canvas opens a search that adds the layer there', async ({ page }) => {
  await canvas(page).locator('.react-flow__pane').dblclick({ position: { x: 400, y: 300 } });
  const search = page.getByRole('dialog', { name: 'Add a layer' });
  await search.getByRole('searchbox').fill('tanh');
  await search.getByRole('searchbox').press('Enter');
  await expect(nodeOf(page, 'tanh')).toBeVisible();
  await expect(search).toHaveCount(0);
});

test('a share link opens the same graph in a new tab; a broken link is refused', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openTemplate(page, 'iris');
  await openTemplate(page, 'residual-mlp');
  const before = await documentJson(page);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId('notice')).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#model=/);

  // A new tab starts with the autosaved graph; the link holds a different one, so it asks first.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<void> } }).__gradflow.flushAutosave());
  const other = await context.newPage();
  await other.goto(link);
  await other.getByRole('dialog', { name: /Open/ }).getByRole('button', { name: /^Open/ }).click();
  await expect(other.getByTestId('layer-node')).toHaveCount(JSON.parse(before).nodes.length);
  expect(await documentJson(other)).toBe(before);
  await expect(other).not.toHaveURL(/#model=/);

  const third = await context.newPage();
  await third.goto('/#model=not-a-real-model');
  // One sentence, not the link's refusal wrapped in another ("could not be opened: This share link cannot be opened …..").
  await expect(third.getByTestId('notice')).toContainText(/^This share link cannot be opened: the link is damaged or incomplete \(was it cut off when copied\?\)\. Your graph was not changed\./);
});

test('a corrupted saved graph is set aside, not deleted, and the app starts clean with a notice', async ({ page }) => {
  // Autosave something, then break what is stored.
  await openTemplate(page, 'iris');
  await page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<void> } }).__gradflow.flushAutosave());
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('gradflow');
        open.onsuccess = () => {
          const tx = open.result.transaction('autosave', 'readwrite');
          tx.objectStore('autosave').put({ model: '{"format": "gradflow.model", "version": 1, "nodes": 7', savedAt: 1 }, 'current');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('could not be read');
  await expect(page.getByTestId('notice')).toContainText('set aside');
  await expect(page.getByTestId('layer-node')).toHaveCount(0);
  const keys = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open('gradflow');
        open.onsuccess = () => {
          const req = open.result.transaction('autosave').objectStore('autosave').getAllKeys();
          req.onsuccess = () => resolve(req.result.map(String));
        };
      }),
  );
  expect(keys.some((k) => k.startsWith('corrupt-'))).toBe(true);
});

test('copy in one tab and paste in another: the layers arrive with their wiring, one undo step', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openTemplate(page, 'spiral-mlp');
  await nodeOf(page, 'dense', 0).click();
  await nodeOf(page, 'relu', 0).click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(copied)).toMatchObject({ format: 'gradflow.model', nodes: [{ type: 'dense' }, { type: 'relu' }], edges: [{}] });

  // The other tab restores the autosaved spiral (7 layers, 6 edges); the paste adds 2 and 1.
  await page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<void> } }).__gradflow.flushAutosave());
  const other = await context.newPage();
  await other.goto('/');
  await expect(other.getByTestId('layer-node')).toHaveCount(7);
  await other.locator('body').click();
  await other.keyboard.press('Control+v');
  await expect(other.getByTestId('layer-node')).toHaveCount(9);
  await expect(other.getByTestId('gradient-edge')).toHaveCount(7);
  await other.keyboard.press('Control+z');
  await expect(other.getByTestId('layer-node')).toHaveCount(7);
});
