/**
 * Parts of the app that load on demand (their code is fetched the first time they are used, not
 * with the first screen): they still work when first used, and one that cannot be fetched says so
 * and leaves the app working. The monitor, the dataset section, the templates and the other
 * dialogs are used throughout the other specs; Tidy and the shortcuts list only here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

type Doc = { nodes: { id: string; position: { x: number; y: number } }[]; edges: { source: string; target: string }[] };

const documentOf = (page: Page) => page.evaluate(() => (window as unknown as { __gradflow: { document(): Doc } }).__gradflow.document());

/** examples/spiral-mlp.json with its seven layers scattered right to left and bottom to top. */
function scatteredSpiral(): Buffer {
  const model = JSON.parse(readFileSync(fileURLToPath(new URL('../examples/spiral-mlp.json', import.meta.url)), 'utf8')) as { nodes: { id: string }[]; layout: Record<string, { x: number; y: number }> };
  model.layout = Object.fromEntries(model.nodes.map((n, i) => [n.id, { x: 900 - 130 * i, y: 600 - 80 * i }]));
  return Buffer.from(JSON.stringify(model));
}

test('Tidy lays the graph out top to bottom on its first use, as one undoable step', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Model file to open').setInputFiles({ name: 'scattered.gradflow.json', mimeType: 'application/json', buffer: scatteredSpiral() });
  await expect(page.getByTestId('layer-node')).toHaveCount(7);
  const scattered = await documentOf(page);
  const below = (doc: Doc) => {
    const y = new Map(doc.nodes.map((n) => [n.id, n.position.y]));
    return doc.edges.every((e) => y.get(e.target)! > y.get(e.source)!);
  };
  expect(below(scattered)).toBe(false);

  await page.getByTestId('canvas-bar').getByRole('button', { name: 'Tidy layout', exact: true }).click();
  // Every layer below the layers that feed it (the layout code arrives first).
  await expect.poll(async () => below(await documentOf(page))).toBe(true);

  await page.keyboard.press('ControlOrMeta+z');
  await expect.poll(async () => (await documentOf(page)).nodes.map((n) => n.position)).toEqual(scattered.nodes.map((n) => n.position));
});

test('"?" opens the list of keyboard shortcuts', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('palette-item-dense')).toBeVisible();
  await page.locator('body').press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Tidy the graph (auto-layout)');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('a dialog whose code cannot be fetched says so, and the app goes on working', async ({ page }) => {
  // As offline, or after a new release replaced the files: the Templates dialog's chunk fails.
  await page.route(/\/assets\/TemplatesDialog-[^/]*\.js$/, (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates' }).click();
  const notLoaded = page.getByRole('dialog', { name: 'Not loaded' });
  await expect(notLoaded.getByRole('alert')).toHaveText('This part of Gradflow could not be loaded. Check the connection and reload the page.');
  await notLoaded.getByRole('button', { name: 'Close' }).click();
  await expect(notLoaded).toHaveCount(0);

  await page.getByTestId('palette-item-dense').click();
  await expect(page.getByTestId('layer-node')).toHaveCount(1);
});
