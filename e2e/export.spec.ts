import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { decodeSafetensors } from '../engine/export/safetensors';
import { openTemplate } from './helpers';

// Issue 15: Export writes the run for PyTorch (a project zip) and ONNX (an .onnx file), with its weights.

test('Export → PyTorch project and ONNX: the run’s weights, in files other tools run', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1', { timeout: 60_000 });
  const dialog = page.getByRole('dialog');

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByRole('radio', { name: /^PyTorch project/ }).check();
  await expect(dialog).toContainText(/Downloads .*-pytorch\.zip/);
  const [zip] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(zip.suggestedFilename()).toMatch(/-pytorch\.zip$/);
  const files = unzipSync(new Uint8Array(readFileSync((await zip.path())!)));
  const folder = zip.suggestedFilename().replace(/\.zip$/, '');
  expect(Object.keys(files).sort()).toEqual(['README.md', 'data.safetensors', 'model.py', 'train.py', 'weights.safetensors'].map((f) => `${folder}/${f}`));
  expect(strFromU8(files[`${folder}/model.py`]!)).toContain('class Model(nn.Module):');
  const weights = decodeSafetensors(files[`${folder}/weights.safetensors`]!);
  expect(weights.metadata).toMatchObject({ steps: '1' });

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByRole('radio', { name: /^ONNX/ }).check();
  const [file] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(file.suggestedFilename()).toMatch(/\.onnx$/);
  const session = await ort.InferenceSession.create(readFileSync((await file.path())!));
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([0.5, -0.5, 0, 1]), [2, 2]) });
  expect(out.prediction!.dims).toEqual([2, 3]);
  await session.release();
});
