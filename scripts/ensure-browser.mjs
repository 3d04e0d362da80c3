// Run before the end-to-end tests: make sure Playwright has a Chromium to drive.
// If none is found and we are root on a Debian-like machine, install Debian's chromium;
// otherwise stop with one message that names the command to run.
import { execSync } from 'node:child_process';
import { findChromium } from './browser.mjs';

function hasApt() {
  try {
    execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
}

const found = await findChromium();
if (found) {
  console.log(`e2e: using Chromium from ${found.source}${found.path ? ` (${found.path})` : ''}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && hasApt()) {
  console.log('e2e: no Chromium found; installing Debian\'s chromium with apt-get (about 30 s)...');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', shell: '/bin/bash' });
  const after = await findChromium();
  if (after) {
    console.log(`e2e: installed Chromium (${after.path})`);
    process.exit(0);
  }
}

console.error(
  'e2e: no Chromium found for Playwright. Install one with:\n' +
    (hasApt() ? '    sudo apt-get install -y chromium\n' : '    npx playwright install chromium\n') +
    'or set CHROMIUM_PATH to a Chromium binary, then run the tests again.',
);
process.exit(1);
