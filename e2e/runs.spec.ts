import { expect, test, type Page } from '@playwright/test';
import { openTemplate, stepCount, trainForSteps } from './helpers';

/**
 * Compare runs, as a person uses it: two runs trained one after the other are both kept, overlaid
 * on one view, told apart in numbers (the deep sigmoid stack's first layers get a sliver of the
 * gradient, ReLU + He's get about as much as the last), renamed, pinned, kept over a reload,
 * deleted and brought back, and their graph opened again.
 */

const rows = (page: Page) => page.getByTestId('run-row');

/** The figures table's row of a run: [steps, loss, test, first/last]. */
async function figures(page: Page, name: RegExp): Promise<string[]> {
  const tr = page.getByTestId('runs-compare').getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  return tr.getByRole('cell').allTextContents();
}

/** "1/2,400" → 1/2400; "0.42" → 0.42; "3.1×" → 3.1. */
const ratioOf = (text: string): number => (text.startsWith('1/') ? 1 / Number(text.slice(2).replace(/,/g, '')) : Number(text.replace('×', '')));

// Two runs trained one after the other, and a reload: longer than the default on a busy machine.
test.describe.configure({ timeout: 300_000 });

/**
 * Opens the Runs view (by its button, or by its key) and waits for it: the view's code loads on
 * first use, which on a busy machine takes longer than an assertion's default wait.
 */
async function openRuns(page: Page, how: 'button' | 'key' = 'button'): Promise<void> {
  if (how === 'key') await page.keyboard.press('r');
  else await page.getByRole('button', { name: 'Compare runs' }).click();
  await expect(page.getByTestId('runs-view')).toBeVisible({ timeout: 60_000 });
}

test('deep sigmoid and ReLU + He side by side: kept, overlaid, renamed, pinned, kept over a reload, deleted and undone, reopened', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'deep-sigmoid');
  await trainForSteps(page, 120);
  await openTemplate(page, 'deep-relu-he');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(120);

  // Opened while the second run trains: it is listed live.
  await openRuns(page);
  const view = page.getByTestId('runs-view');
  await expect(rows(page)).toHaveCount(2);
  const live = rows(page).first();
  await expect(live.getByRole('textbox', { name: 'Run name' })).toHaveValue(/^Run 2 · ReLU · SGD 0\.1$/);
  await expect(live).toContainText('Training');
  await expect(rows(page).nth(1).getByRole('textbox', { name: 'Run name' })).toHaveValue(/^Run 1 · Sigmoid · SGD 0\.1$/);
  await expect(rows(page).nth(1)).toContainText(/Stopped.*Circles · 19 layers.*[\d,]+ steps · \d+\.\d% test · /);
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused', { timeout: 30_000 });

  await openRuns(page, 'key');
  await expect(rows(page).first()).toContainText('Stopped');
  // Both are chosen at first, and drawn: three charts, and the table of their numbers.
  await expect(page.getByRole('checkbox', { name: /^Compare Run \d/ })).toHaveCount(2);
  for (const box of await page.getByRole('checkbox', { name: /^Compare Run \d/ }).all()) await expect(box).toBeChecked();
  await expect(page.getByTestId('runs-chart')).toHaveCount(3);
  await expect(page.getByRole('img', { name: /^Gradient RMS by depth at the end of Run 1 · Sigmoid · SGD 0\.1 \(from [\d.e-]+ at depth 1 to [\d.e-]+ at depth 18\), Run 2 · ReLU/ })).toBeVisible();
  const sigmoid = await figures(page, /^Run 1 · Sigmoid/);
  const relu = await figures(page, /^Run 2 · ReLU/);
  console.log(`first/last gradient: sigmoid ${sigmoid[3]}, ReLU + He ${relu[3]}`);
  expect(Number(sigmoid[0]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(120);
  // The sigmoid stack's first layers get a sliver of what its last ones get; ReLU + He's, a large share of it.
  expect(ratioOf(sigmoid[3]!)).toBeLessThan(0.01);
  expect(ratioOf(relu[3]!)).toBeGreaterThan(0.1);

  // The depth chart at another moment of each run: its label says which.
  await page.getByRole('slider', { name: 'When in each run the depth chart shows' }).fill('0');
  await expect(page.getByRole('img', { name: /^Gradient RMS by depth at the start of Run 1 · Sigmoid · SGD 0\.1 \(from [\d.e-]+ at depth 1 to [\d.e-]+ at depth 18\)/ })).toBeVisible();
  await page.getByRole('slider', { name: 'When in each run the depth chart shows' }).fill('50');
  await expect(page.getByRole('img', { name: /^Gradient RMS by depth 50% into Run 1/ })).toBeVisible();

  // Rename (Enter commits) and pin the sigmoid run; both outlive a reload.
  const first = rows(page).filter({ has: page.getByRole('checkbox', { name: /^Compare Run 1/ }) });
  // Escape drops a draft name (and only that: the view stays open).
  await first.getByRole('textbox', { name: 'Run name' }).fill('a name to drop');
  await first.getByRole('textbox', { name: 'Run name' }).press('Escape');
  await expect(first.getByRole('textbox', { name: 'Run name' })).toHaveValue(/^Run 1 · Sigmoid · SGD 0\.1$/);
  await expect(view).toBeVisible();
  await first.getByRole('textbox', { name: 'Run name' }).fill('Sigmoid baseline');
  await first.getByRole('textbox', { name: 'Run name' }).press('Enter');
  await expect(page.getByRole('checkbox', { name: 'Compare Sigmoid baseline' })).toBeVisible();
  const pinned = rows(page).filter({ has: page.getByRole('checkbox', { name: 'Compare Sigmoid baseline' }) });
  await expect(pinned.getByRole('button', { name: 'Pin Sigmoid baseline' })).toHaveAttribute('aria-pressed', 'false');
  await pinned.getByRole('button', { name: 'Pin Sigmoid baseline' }).click();
  await expect(pinned.getByRole('button', { name: 'Pin Sigmoid baseline' })).toHaveAttribute('aria-pressed', 'true');

  // Take the ReLU run off the charts: the choice outlives the reload too.
  await page.getByRole('checkbox', { name: /^Compare Run 2/ }).uncheck();
  await expect(page.getByTestId('runs-compare').getByRole('row')).toHaveCount(2); // the header and the sigmoid run

  await page.reload();
  await openRuns(page);
  await expect(rows(page)).toHaveCount(2);
  const kept = rows(page).filter({ has: page.getByRole('checkbox', { name: 'Compare Sigmoid baseline' }) });
  await expect(kept.getByRole('button', { name: 'Pin Sigmoid baseline' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('checkbox', { name: 'Compare Sigmoid baseline' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Compare Run 2/ })).not.toBeChecked();

  // Delete, then undo.
  // Delete, then undo; the focus follows (the button pressed goes away each time).
  await page.getByRole('button', { name: /^Delete Run 2/ }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: /^Deleted “Run 2 · ReLU/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Undo deleting Run 2/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByRole('checkbox', { name: /^Compare Run 2/ })).toBeFocused();

  // Open the sigmoid run's graph: the canvas holds it again (the ReLU graph is one undo away).
  await kept.getByRole('button', { name: 'Open the graph of Sigmoid baseline' }).click();
  await expect(view).toBeHidden();
  const types = await page.evaluate(() => (window as unknown as { __gradflow: { document(): { nodes: { type: string }[] } } }).__gradflow.document().nodes.map((n) => n.type));
  expect(types.filter((t) => t === 'sigmoid')).toHaveLength(8);
  expect(types).not.toContain('relu');
});

/** The ids of the runs in IndexedDB (read as the app's next load will). */
const storedRuns = (page: Page): Promise<number> =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('gradflow-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('runs')) return resolve(0);
          const keys = db.transaction('runs').objectStore('runs').getAllKeys();
          keys.onsuccess = () => (resolve(keys.result.length), db.close());
        };
      }),
  );

test('a run still training is written as it goes, so a reload keeps it (stopped where it was)', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => storedRuns(page), { timeout: 120_000 }).toBe(1);
  await page.reload();
  await openRuns(page);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(/Stopped.*Spiral · \d+ layers.*[\d,]+ steps/);
});

test('a run kept in one tab is listed in another tab’s Runs view at once, without a reload', async ({ page }) => {
  await page.goto('/');
  const other = await page.context().newPage();
  await other.goto('/');
  await openRuns(other);
  await expect(rows(other)).toHaveCount(0);

  await openTemplate(page, 'spiral-mlp');
  await trainForSteps(page, 20);
  await expect(rows(other)).toHaveCount(1, { timeout: 30_000 });
  await expect(rows(other).first().getByRole('textbox', { name: 'Run name' })).toHaveValue(/^Run 1 · /);
  await expect(rows(other).first()).toContainText('Stopped');
});
