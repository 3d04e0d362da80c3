import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { openTemplate } from './helpers';

const irisCsv = readFile(new URL('../public/datasets/iris.csv', import.meta.url), 'utf8');

/** Chooses "Your data → CSV" in the dataset picker. */
async function chooseCsvDataset(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('csv');
}

async function uploadCsv(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

/** Presses Train and waits for the run's gradients to reach the edges (a snapshot of this run arrived). */
async function trainUntilGradientsShow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('gradient-edge').last()).toHaveAttribute('data-grad-rms', /^\d/, { timeout: 60_000 });
  await expect.poll(async () => Number(await page.getByTestId('loss-value').textContent()), { timeout: 60_000 }).toBeGreaterThan(0);
}

test('a model trained on an uploaded CSV trains again after a reload, without uploading it again', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'iris');
  await chooseCsvDataset(page);
  await uploadCsv(page, 'my-iris.csv', await irisCsv);
  await expect(page.locator('#dataset')).toHaveValue('csv');
  await expect(page.locator('#dataset option:checked')).toHaveText('CSV: my-iris.csv');
  // The 3-unit output fits the three species of the label column: no errors on the canvas.
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
  await expect(page.getByTestId('csv-keep')).toHaveAttribute('data-state', 'kept', { timeout: 30_000 });
  await expect(page.getByTestId('csv-keep')).toContainText('Kept in this browser with your model');
  await trainUntilGradientsShow(page);

  await page.evaluate(() => (window as unknown as { __gradflow: { flushAutosave(): Promise<void> } }).__gradflow.flushAutosave());
  await page.reload();

  // The model and its CSV came back: the picker names the file, and the run has not started.
  await expect(page.getByTestId('layer-node').first()).toBeVisible();
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await expect(page.locator('#dataset')).toHaveValue('csv');
  await expect(page.locator('#dataset option:checked')).toHaveText('CSV: my-iris.csv');
  await expect(page.getByTestId('csv-keep')).toHaveAttribute('data-state', 'kept');
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
  await expect(page.locator('[data-testid="gradient-edge"][data-grad-rms]')).toHaveCount(0);
  await trainUntilGradientsShow(page);
});

test('a refused CSV lists every problem with its row and column, not only the first', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'iris');
  await chooseCsvDataset(page);
  const lines = (await irisCsv).split('\n');
  lines[2] = lines[2]!.replace(/^[^,]+/, 'n/a'); // data row 2: a missing value
  lines[5] = lines[5]!.replace(/^[^,]+,[^,]+/, '5.0,wide'); // data row 5: text in a number column
  lines[9] = '4.4,2.9'; // data row 9: too few values
  await uploadCsv(page, 'broken.csv', lines.join('\n'));
  const problems = page.getByTestId('csv-problem');
  await expect(page.getByTestId('csv-problems')).toHaveAttribute('data-count', '3');
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toHaveAttribute('data-row', '2');
  await expect(problems.nth(0)).toHaveAttribute('data-column', 'sepal length (cm)');
  await expect(problems.nth(1)).toHaveAttribute('data-row', '5');
  await expect(problems.nth(1)).toContainText("'wide' is not a number");
  await expect(problems.nth(2)).toHaveAttribute('data-row', '9');
  await expect(problems.nth(2)).toContainText('2 values, but the header has 5 columns');
});

test('Export offers to include the CSV data, with its size; the file it writes opens with that CSV', async ({ page, browser }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'iris');
  await chooseCsvDataset(page);
  const csv = await irisCsv;
  await uploadCsv(page, 'my-iris.csv', csv);
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const include = page.getByTestId('export-include-csv');
  await expect(include).toBeChecked();
  await expect(page.getByTestId('export-csv-size')).toHaveText('3.7 KB');
  const downloading = page.waitForEvent('download');
  await page.getByRole('dialog').getByRole('button', { name: 'Export', exact: true }).click();
  const path = testInfo.outputPath('iris.gradflow.json');
  await (await downloading).saveAs(path);
  const file = JSON.parse(await readFile(path, 'utf8')) as { training: { dataset: string }; data: unknown };
  expect(file.training.dataset).toBe('csv');
  expect(file.data).toEqual({ kind: 'csv', name: 'my-iris.csv', labelColumn: 'label', task: 'multiclass', text: csv });

  // Another browser profile: no CSV uploaded there; opening the file brings its CSV with it.
  const other = await browser.newPage();
  await other.goto('/');
  await other.locator('input[type="file"][accept*="json"]').setInputFiles(path);
  await expect(other.getByTestId('notice')).toContainText('Its CSV data (my-iris.csv) is now the uploaded CSV.');
  await other.getByRole('button', { name: /^Dataset/ }).click();
  await expect(other.locator('#dataset option:checked')).toHaveText('CSV: my-iris.csv');
  await expect(other.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
  await other.close();
});
