/**
 * The frame around the graph, at a big laptop's and a small laptop's window: every template opens
 * readable and clear of what floats over the canvas, the legend waits for a run, and the panels
 * fold away (by click, by keyboard) and stay as they were left.
 */
import { readdirSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { openTemplate } from './helpers';

const TEMPLATE_IDS = readdirSync(new URL('../examples/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

/**
 * Each size, and the templates that are wider and taller than its canvas beside the minimap at a
 * readable zoom: part of them is off screen, or under the minimap, whatever the framing — there the
 * minimap is how one gets around.
 */
const SIZES: readonly { width: number; height: number; tooBigBesideMinimap: readonly string[] }[] = [
  { width: 1440, height: 900, tooBigBesideMinimap: [] },
  { width: 1280, height: 720, tooBigBesideMinimap: ['tiny-transformer', 'deep-sigmoid', 'deep-relu-he'] },
];

interface FrameReport {
  zoom: number;
  /** Node title type on screen, px (the largest type on each node). */
  smallestTitlePx: number;
  /** "layer node × overlay" for every overlap of what the user sees of a node with an overlay. */
  overlaps: string[];
  overlays: string[];
}

/** What the user sees: each node's box clipped to the canvas, against the boxes of what floats over it. */
function readFrame(page: Page): Promise<FrameReport> {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const overlays = [
      ['canvas bar', '[data-testid="canvas-bar"]'],
      ['legend', '[data-testid="edge-legend"]'],
      ['minimap', '.react-flow__minimap'],
    ].flatMap(([name, selector]) => [...document.querySelectorAll(selector!)].map((el) => ({ name: name!, box: el.getBoundingClientRect() })));
    const overlaps: string[] = [];
    let smallestTitlePx = Infinity;
    let zoom = 1;
    for (const node of document.querySelectorAll<HTMLElement>('[data-testid="layer-node"]')) {
      const r = node.getBoundingClientRect();
      zoom = r.width / node.offsetWidth;
      const seen = { left: Math.max(r.left, pane.left), top: Math.max(r.top, pane.top), right: Math.min(r.right, pane.right), bottom: Math.min(r.bottom, pane.bottom) };
      if (seen.right > seen.left && seen.bottom > seen.top) {
        for (const o of overlays) {
          if (seen.left < o.box.right && o.box.left < seen.right && seen.top < o.box.bottom && o.box.top < seen.bottom) overlaps.push(`${node.dataset.layerType} × ${o.name}`);
        }
      }
      // The title is the largest type on a node.
      const sizes = [...node.querySelectorAll('*')]
        .filter((el) => [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== ''))
        .map((el) => parseFloat(getComputedStyle(el).fontSize));
      smallestTitlePx = Math.min(smallestTitlePx, Math.max(...sizes) * zoom);
    }
    return { zoom, smallestTitlePx, overlaps, overlays: overlays.map((o) => o.name) };
  });
}

/** Waits for the camera to come to rest after a framing, away from React Flow's initial 1:1 at the origin: the same place over three readings. */
async function framed(page: Page): Promise<void> {
  const viewport = page.locator('.react-flow__viewport');
  const readings: string[] = [];
  await expect
    .poll(
      async () => {
        readings.push(await viewport.evaluate((el) => el.style.transform));
        const last = readings.slice(-3);
        return last.length === 3 && last.every((t) => t === last[0]) && last[0] !== 'translate(0px, 0px) scale(1)';
      },
      { intervals: [200], timeout: 20_000 },
    )
    .toBe(true);
}

/** A first visit in a fresh browser context (no restored graph, no saved frame). */
async function firstVisit(browser: Browser, size: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport: size });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('main', { name: 'Model canvas' })).toBeVisible();
  return page;
}

for (const { tooBigBesideMinimap, ...size } of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('every template opens readable (titles ≥ 10 px on screen), clear of the canvas bar, with no legend before a run', async ({ browser }) => {
      test.setTimeout(180_000);
      expect(TEMPLATE_IDS.length).toBeGreaterThanOrEqual(12);
      for (const id of TEMPLATE_IDS) {
        const page = await firstVisit(browser, size);
        await openTemplate(page, id);
        await framed(page);
        const frame = await readFrame(page);
        expect(frame.smallestTitlePx, `${id}: titles at zoom ${frame.zoom}`).toBeGreaterThanOrEqual(10);
        expect(frame.overlaps, id).toEqual([]);
        expect(frame.overlays).toContain('canvas bar');
        await expect(page.getByTestId('edge-legend')).toHaveCount(0);
        await page.context().close();
      }
    });

    test('with the minimap on, templates open clear of it', async ({ browser }) => {
      test.setTimeout(180_000);
      for (const id of TEMPLATE_IDS.filter((t) => !tooBigBesideMinimap.includes(t))) {
        const page = await firstVisit(browser, size);
        const minimap = page.getByRole('button', { name: 'Minimap' });
        await minimap.click();
        await expect(minimap).toHaveAttribute('aria-pressed', 'true');
        await openTemplate(page, id);
        await expect(page.locator('.react-flow__minimap')).toBeVisible();
        await framed(page);
        const frame = await readFrame(page);
        expect(frame.overlays).toContain('minimap');
        expect(frame.overlaps, id).toEqual([]);
        expect(frame.smallestTitlePx, id).toBeGreaterThanOrEqual(10);
        await page.context().close();
      }
    });

    test('the edge legend appears with the first step of a run, in the canvas bar, over no node', async ({ page }) => {
      await page.goto('/');
      await openTemplate(page, 'spiral-mlp');
      await framed(page);
      await expect(page.getByTestId('edge-legend')).toHaveCount(0);
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      const legend = page.getByTestId('edge-legend');
      await expect(legend).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('canvas-bar').getByTestId('edge-legend')).toBeVisible();
      // The run monitor opened under the canvas; the graph was framed again for the smaller canvas.
      await expect(page.locator('#run-monitor-body')).toBeVisible();
      await framed(page);
      const frame = await readFrame(page);
      expect(frame.overlays).toContain('legend');
      expect(frame.overlaps).toEqual([]);
    });

    test('the palette, the side panel and the run monitor fold away by click and by keyboard, and stay folded after a reload', async ({ page }) => {
      await page.goto('/');
      await openTemplate(page, 'iris');
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect(page.locator('#run-monitor-body')).toBeVisible({ timeout: 30_000 });

      const palette = page.getByRole('complementary', { name: 'Layer palette' });
      const side = page.getByRole('complementary', { name: 'Inspector and training' });
      const charts = page.locator('#run-monitor-body');
      const toggles = {
        palette: page.getByRole('button', { name: 'Layer palette' }),
        side: page.getByRole('button', { name: 'Side panel' }),
        monitor: page.getByRole('button', { name: 'Run monitor' }),
      };
      const paneWidth = async () => (await page.locator('.react-flow').boundingBox())!.width;

      // By click: each folds, the canvas gets the room, and each comes back.
      const before = await paneWidth();
      await toggles.palette.click();
      await expect(palette).toHaveCount(0);
      await expect(toggles.palette).toHaveAttribute('aria-expanded', 'false');
      await toggles.side.click();
      await expect(side).toHaveCount(0);
      await expect(toggles.side).toHaveAttribute('aria-expanded', 'false');
      expect(await paneWidth()).toBeGreaterThan(before + 400);
      await toggles.monitor.click();
      await expect(charts).toHaveCount(0);
      await expect(toggles.monitor).toHaveAttribute('aria-expanded', 'false');
      await toggles.palette.click();
      await expect(palette).toBeVisible();
      await expect(toggles.palette).toHaveAttribute('aria-expanded', 'true');

      // By keyboard: the toggle keeps the focus as it moves between the panel and its rail.
      await toggles.palette.focus();
      await page.keyboard.press('Enter');
      await expect(palette).toHaveCount(0);
      await expect(toggles.palette).toBeFocused();
      await page.keyboard.press('Space');
      await expect(palette).toBeVisible();
      await toggles.monitor.focus();
      await page.keyboard.press('Enter');
      await expect(charts).toBeVisible();
      await expect(toggles.monitor).toHaveAttribute('aria-expanded', 'true');
      // And by their shortcuts, from the action list.
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 200 } });
      await page.keyboard.press('[');
      await expect(palette).toHaveCount(0);
      await page.keyboard.press('m');
      await expect(charts).toHaveCount(0);
      await page.keyboard.press(']');
      await expect(side).toBeVisible();
      await page.keyboard.press(']');
      await expect(side).toHaveCount(0);

      // All three folded: a reload keeps them so, even once a run has data again.
      await page.reload();
      await expect(page.getByTestId('layer-node').first()).toBeVisible();
      await expect(palette).toHaveCount(0);
      await expect(side).toHaveCount(0);
      for (const t of Object.values(toggles)) await expect(t).toHaveAttribute('aria-expanded', 'false');
      await page.keyboard.press('.');
      await expect(page.getByTestId('edge-legend')).toBeVisible({ timeout: 30_000 });
      await expect(toggles.monitor).toHaveAttribute('aria-expanded', 'false');
      await expect(charts).toHaveCount(0);

      for (const t of Object.values(toggles)) await t.click();
      await expect(palette).toBeVisible();
      await expect(side).toBeVisible();
      await expect(charts).toBeVisible({ timeout: 30_000 });
    });

    test('the palette resizes from its edge by keyboard, and keeps its width after a reload', async ({ page }) => {
      await page.goto('/');
      const palette = page.getByRole('complementary', { name: 'Layer palette' });
      const handle = page.getByRole('separator', { name: 'Resize the layer palette' });
      const width = async () => (await palette.boundingBox())!.width;
      const before = await width();
      await handle.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect.poll(width).toBe(before + 32);
      await page.reload();
      await expect.poll(width).toBe(before + 32);
      await handle.focus();
      await page.keyboard.press('Enter');
      await expect.poll(width).toBe(before);
    });
  });
}
