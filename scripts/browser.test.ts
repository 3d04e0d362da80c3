import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { findChromium, DEBIAN_CHROMIUM } from './browser.mjs';

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH when it points at a file', async () => {
    process.env.CHROMIUM_PATH = process.execPath; // any existing file stands in for a browser
    expect(await findChromium()).toEqual({ path: process.execPath, source: 'CHROMIUM_PATH' });
  });

  it('stops with a clear message when CHROMIUM_PATH points nowhere', async () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    await expect(findChromium()).rejects.toThrow('CHROMIUM_PATH is set to /nonexistent/chromium, but no file is there');
  });

  it.runIf(existsSync(DEBIAN_CHROMIUM))("falls back to Debian's chromium", async () => {
    delete process.env.CHROMIUM_PATH;
    expect(await findChromium()).toEqual({ path: DEBIAN_CHROMIUM, source: 'debian' });
  });
});
