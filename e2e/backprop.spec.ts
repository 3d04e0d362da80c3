import { expect, test, type Page } from '@playwright/test';
import { openTemplate } from './helpers';

/** "Step slowly" (issue 16): one step, then its backward pass played on the canvas from the loss back to the input. */

type WaveLog = { __wave?: { edge: string; state: string }[] };

/** Records every change of an edge's data-wave, in order. */
async function watchWave(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: { edge: string; state: string }[] = [];
    (window as unknown as WaveLog).__wave = log;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as Element;
        const state = el.getAttribute('data-wave');
        if (state) log.push({ edge: el.getAttribute('data-edge-id') ?? '', state });
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-wave'] });
  });
}

const waveLog = (page: Page) => page.evaluate(() => (window as unknown as WaveLog).__wave ?? []);
const status = (page: Page) => page.getByTestId('backprop-wave').getByRole('status');
const stepSlowly = (page: Page) => page.getByTestId('canvas-bar').getByRole('button', { name: 'Step slowly' });

test('step slowly lights the edges from the loss back to the input, each with the gradient that reached it', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await watchWave(page);
  await stepSlowly(page).click();
  await expect(status(page)).toHaveText('Backward pass of step 1: the gradient has reached every edge, from the loss back to the input.', { timeout: 30_000 });
  expect(await page.getByTestId('step-count').textContent()).toBe('1');

  // Every edge waited, then was reached, in reverse order: e6 (into the Output) first, e1 (out of the Input) last.
  const log = await waveLog(page);
  const reached = [...new Set(log.filter((e) => e.state !== 'waiting').map((e) => e.edge))];
  expect(reached).toEqual(['e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
  for (const edge of reached) expect(log.findIndex((e) => e.edge === edge && e.state === 'waiting')).toBeLessThan(log.findIndex((e) => e.edge === edge && e.state !== 'waiting'));
  const labels = page.getByTestId('wave-gradient');
  await expect(labels).toHaveCount(6);
  for (const label of await labels.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))) expect(label).toMatch(/^Gradient RMS [\d.e-]+ reached this edge$/);

  await page.getByTestId('backprop-wave').getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('[data-wave]')).toHaveCount(0);
  await expect(labels).toHaveCount(0);
});

test('Escape skips the wave to its end; with reduced motion it shows at once', async ({ page }) => {
  // The page's clock stands still, so the wave waits at its start for the Escape however slow the machine.
  await page.clock.install();
  await page.goto('/');
  await openTemplate(page, 'deep-sigmoid');
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  await stepSlowly(page).click();
  await expect(status(page)).toHaveText(/^Backward pass of step 1: the gradient has come back through 0 of \d+ layers of edges\.$/);
  await expect(page.getByTestId('backprop-wave')).toHaveAttribute('data-playing', 'true');
  await expect(page.locator('[data-wave="arrived"], [data-wave="arriving"]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(status(page)).toHaveText(/the gradient has reached every edge/);
  await expect(page.locator('[data-wave="waiting"]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('backprop-wave')).toHaveCount(0);
  await page.clock.resume();

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await watchWave(page);
  await page.keyboard.press('b');
  await expect(status(page)).toHaveText('Backward pass of step 2, shown at once (reduced motion): every edge has its gradient.');
  expect((await waveLog(page)).filter((e) => e.state === 'waiting' || e.state === 'arriving')).toEqual([]);
  await expect(page.locator('[data-wave="arrived"]')).not.toHaveCount(0);
});
