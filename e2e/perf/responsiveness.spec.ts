/*
 * Timing-sensitive: this project runs after every other e2e test, one test at a time, because on
 * a 2-core machine a second browser training in parallel starves this page's main thread and
 * the measurement would be of the neighbour, not of Gradflow.
 */
import { expect, test } from '@playwright/test';
import { lossValue, openTemplate } from '../helpers';

test.describe.configure({ mode: 'serial' });

test('trains in a worker while the page stays responsive: no main-thread task of 50 ms or more in 5 s', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await expect(page.getByTestId('layer-node')).toHaveCount(7);
  // The template's 60 epochs take about a second here; run long enough to measure 5 s of training.
  await page.getByRole('button', { name: /^Settings/ }).click();
  const epochs = page.getByLabel('Epochs', { exact: true });
  await epochs.fill('10000');
  await epochs.press('Enter');

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
  expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
  expect(frames).toBeGreaterThan(100);

  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  expect(longTasks, `main-thread tasks over 50 ms: ${longTasks.map((d) => d.toFixed(0)).join(', ')}`).toEqual([]);

  const later = await lossValue(page);
  expect(later).toBeLessThan(first);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Training');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused');
});

