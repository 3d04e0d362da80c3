import { expect, test, type Page } from '@playwright/test';
import { nodeOf, openTemplate } from './helpers';

const status = (page: Page) => page.getByRole('status', { name: 'Training status' });
const stepCount = async (page: Page) => Number((await page.getByTestId('step-count').textContent())!.replace(/\D/g, ''));

test('char LSTM: train briefly, read the gradient per time step on the sequence edge, pause and generate text', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'char-lstm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status(page)).toHaveText('Paused', { timeout: 30_000 });
  // The loss chart names the unigram baseline a character model should get under.
  await expect(page.getByRole('list', { name: 'Loss legend' })).toContainText('unigram');

  // Embedding → LSTM carries a 32-step sequence: its inspector plots the gradient at each step.
  await page.locator('[data-testid="gradient-edge"][data-edge-id="e2"]').click({ force: true });
  const timeView = page.getByTestId('edge-inspector').getByTestId('time-gradient');
  await expect(timeView).toBeVisible();
  await expect(timeView.getByRole('img', { name: /Gradient RMS at each time step/ })).toBeVisible();
  await expect(timeView.getByRole('img', { name: /training steps left to right, time steps top to bottom/ })).toBeVisible();
  expect(Number(await timeView.getAttribute('data-last-first-ratio'))).toBeGreaterThan(0);

  // Generate text from a prompt at a temperature.
  const sampler = page.getByRole('region', { name: 'Generate text' });
  await sampler.getByLabel('Prompt').fill('The sea ');
  await sampler.getByLabel('Length').fill('60');
  await sampler.getByRole('button', { name: 'Generate' }).click();
  const output = page.getByTestId('sample-text-output');
  await expect(output).toHaveText(/^The sea [\s\S]{60}$/, { timeout: 30_000 });
  // A character outside the text's vocabulary is refused with a reason, not a crash.
  await sampler.getByLabel('Prompt').fill('naïve ');
  await sampler.getByRole('button', { name: 'Generate' }).click();
  await expect(output.getByRole('alert')).toContainText('"ï"');
});

test('tiny transformer: the attention view shows each head’s weights for a test sample', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'tiny-transformer');
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  // Clicked while the model still loads: the clicks queue up, and each is one step.
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBe(3);
  await nodeOf(page, 'attention').click();
  await page.getByTestId('open-attention-view').click();
  const view = page.getByTestId('attention-view');
  await expect(view).toBeVisible();
  await expect(view.getByRole('img', { name: /Attention weights of head \d/ })).toHaveCount(2);
  await expect(view.getByTestId('attention-tokens')).not.toBeEmpty();
  // Another sample.
  await view.getByRole('button', { name: 'Next sample' }).click();
  await expect(view).toContainText(/2 \/ \d+/);
});
