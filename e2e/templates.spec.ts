import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { canvas, dragFromPalette, nodeOf } from './helpers';

/**
 * Every edge of a document is drawn, and it starts and ends on the handles it connects. React
 * Flow drops an edge whose handle it has not measured, saying so only in the console ("Couldn't
 * create edge for source handle id"), so the specs listen to the console too.
 */

type ModelFile = { edges: { id: string; source: string; target: string; targetSlot: number }[] };

async function modelFile(id: string): Promise<ModelFile> {
  return JSON.parse(await readFile(new URL(`../examples/${id}.json`, import.meta.url), 'utf8')) as ModelFile;
}

/** React Flow's warnings about edges and handles, as they arrive. */
function watchFlowWarnings(page: Page): string[] {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (/React Flow/.test(message.text())) warnings.push(message.text());
  });
  return warnings;
}

/** The ids of the drawn edges, sorted. */
async function drawnEdgeIds(page: Page): Promise<string[]> {
  const ids = await page.getByTestId('gradient-edge').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-edge-id') ?? ''));
  return ids.sort();
}

/**
 * Edges whose drawn path does not start on its source's output handle or end on its target's
 * input handle (farther than 3 px on screen), described for the failure message.
 */
async function edgesOffTheirHandles(page: Page, edges: ModelFile['edges']): Promise<string[]> {
  return page.evaluate((list) => {
    const off: string[] = [];
    const distance = (p: DOMPoint, el: Element | null): number => {
      if (!el) return Infinity;
      const r = el.getBoundingClientRect();
      const dx = Math.max(r.left - p.x, 0, p.x - r.right);
      const dy = Math.max(r.top - p.y, 0, p.y - r.bottom);
      return Math.hypot(dx, dy);
    };
    for (const e of list) {
      const path = document.querySelector<SVGPathElement>(`[data-testid="gradient-edge"][data-edge-id="${e.id}"]`);
      const matrix = path?.getScreenCTM();
      if (!path || !matrix) {
        off.push(`${e.id}: not drawn`);
        continue;
      }
      const start = path.getPointAtLength(0).matrixTransform(matrix);
      const end = path.getPointAtLength(path.getTotalLength()).matrixTransform(matrix);
      const source = document.querySelector(`.react-flow__node[data-id="${e.source}"] .react-flow__handle[data-handleid="out"]`);
      const target = document.querySelector(`.react-flow__node[data-id="${e.target}"] .react-flow__handle[data-handleid="in-${e.targetSlot}"]`);
      const [fromSource, toTarget] = [distance(start, source), distance(end, target)];
      if (fromSource > 3 || toTarget > 3) off.push(`${e.id}: ${fromSource.toFixed(0)} px from ${e.source}'s output, ${toTarget.toFixed(0)} px from ${e.target}'s input ${e.targetSlot}`);
    }
    return off;
  }, edges);
}

test('every template draws every edge of its model, on its handles, opened one after another', async ({ page }) => {
  test.setTimeout(180_000);
  const warnings = watchFlowWarnings(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates' }).click();
  // The dialog's list may take a moment to appear on a busy machine: read it once it is there.
  await expect(page.locator('[data-testid^="template-"]').first()).toBeVisible({ timeout: 30_000 });
  const ids = await page.locator('[data-testid^="template-"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-testid')!.slice('template-'.length)));
  await page.keyboard.press('Escape');
  expect(ids.length).toBeGreaterThanOrEqual(12);

  // Forward and then backward, so every template follows another whose node ids it reuses for other layers.
  for (const id of [...ids, ...ids.slice(0, -1).reverse()]) {
    const { edges } = await modelFile(id);
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByTestId(`template-${id}`).click();
    await expect.poll(() => drawnEdgeIds(page), { message: `${id}: the drawn edges`, timeout: 15_000 }).toEqual(edges.map((e) => e.id).sort());
    await expect(canvas(page).getByTestId('gradient-edge')).toHaveCount(edges.length);
    await expect.poll(() => edgesOffTheirHandles(page, edges), { message: `${id}: edges off their handles`, timeout: 15_000 }).toEqual([]);
    expect(warnings, `${id}: React Flow warnings`).toEqual([]);
  }
});

test('wiring a merge layer draws each edge to the slot it was dropped on, as the Add grows a slot', async ({ page }) => {
  const warnings = watchFlowWarnings(page);
  await page.goto('/');
  await dragFromPalette(page, 'dense', 120, 80);
  await dragFromPalette(page, 'dense', 300, 80);
  await dragFromPalette(page, 'dense', 480, 80);
  await dragFromPalette(page, 'add', 300, 340);
  const add = nodeOf(page, 'add').locator('xpath=..');
  // Each Dense into the last slot the Add shows: it shows its taken slots and one free one (at least 2).
  for (const k of [0, 1, 2]) {
    const from = nodeOf(page, 'dense', k).locator('xpath=..').locator('.react-flow__handle.source');
    const to = add.locator('.react-flow__handle.target').last();
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect(page.getByTestId('gradient-edge')).toHaveCount(k + 1);
  }
  // Three taken slots and a free one.
  await expect(add.locator('.react-flow__handle.target')).toHaveCount(4);
  const edges = await page.evaluate(() => (window as unknown as { __gradflow: { document(): ModelFile } }).__gradflow.document().edges);
  expect(edges.map((e) => e.targetSlot).sort()).toEqual([0, 1, 2]);
  await expect.poll(() => edgesOffTheirHandles(page, edges), { timeout: 10_000 }).toEqual([]);
  expect(warnings).toEqual([]);
});
