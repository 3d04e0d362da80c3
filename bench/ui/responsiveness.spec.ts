/*
 * A measurement, not a test (`npm run bench:ui`): main-thread long tasks and frames while the
 * spiral trains in the worker. It prints them and asserts nothing about timing — on a busy
 * machine the numbers measure the neighbours, so they belong in a benchmark, not in `npm test`.
 */
import { expect, test } from '@playwright/test';
import { lossValue, openTemplate } from '../../e2e/helpers';

test.describe.configure({ mode: 'serial' });

test('responsiveness while training: main-thread long tasks and frames over 5 s', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await expect(page.getByTestId('layer-node')).toHaveCount(7);
  // Long tasks are tasks of 50 ms or more; the observer starts before Train is pressed.
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('loss-value')).toBeVisible();
  const first = await lossValue(page);
  const started = Date.now();

  // While it trains, the page answers: a frame loop keeps running and the canvas takes clicks.
  const frames = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let n = 0;
        const t0 = performance.now();
        const tick = () => {
          n++;
          if (performance.now() - t0 < 5000) requestAnimationFrame(tick);
          else resolve(n);
        };
        requestAnimationFrame(tick);
      }),
  );
  const seconds = (Date.now() - started) / 1000;
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  console.log(`responsiveness: ${frames} frames in ${seconds.toFixed(1)} s while training; main-thread tasks ≥ 50 ms: ${longTasks.length ? longTasks.map((d) => d.toFixed(0)).join(', ') : 'none'}`);

  const later = await lossValue(page);
  expect(later).toBeLessThan(first);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Training');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused');
});

