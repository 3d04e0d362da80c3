import { readFile } from 'node:fs/promises';
import { expect, test, type Page, type Response } from '@playwright/test';
import { PRODUCTION_HEADERS } from '../deploy/headers';
import { openTemplate, trainForSteps } from './helpers';

// The preview server sends the production headers of deploy/headers.ts, so this suite runs the
// built app as a static host configured by deploy/README.md would serve it.

const WORKER_SCRIPT = /\/assets\/training\.worker-[\w-]+\.js$/;
const DIGITS_FILE = /\/datasets\/digits-8x8-images-idx3-ubyte\.gz$/;

/** Opens the MNIST MLP on the 8×8 digits: a dataset file fetched by the worker, and the image views. */
async function openDigitsRun(page: Page): Promise<void> {
  await openTemplate(page, 'mnist-mlp');
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.locator('#dataset').selectOption('digits');
}

/**
 * Every Content-Security-Policy violation the app causes: `securitypolicyviolation` events in the
 * page, console errors, and the browser's own CSP issue reports read over the DevTools protocol —
 * the one way to hear the training worker, whose first lines run before any listener could. The
 * worker is held at its start (waitForDebuggerOnStart) until its reports are switched on.
 */
async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    const log: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = log;
    document.addEventListener('securitypolicyviolation', (e) => log.push(`event: ${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
  });

  type Issue = { code: string; details: { contentSecurityPolicyIssueDetails?: unknown } };
  const noteIssue = (where: string, issue: Issue) => {
    if (issue.code === 'ContentSecurityPolicyIssue') seen.push(`${where}: ${JSON.stringify(issue.details.contentSecurityPolicyIssueDetails)}`);
  };
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Audits.issueAdded', ({ issue }) => noteIssue('page', issue));
  await cdp.send('Audits.enable');
  let messageId = 0;
  let workersWatched = 0;
  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    if (targetInfo.type === 'worker') workersWatched++;
    const send = (method: string) => cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++messageId, method }) });
    void send('Audits.enable')
      .then(() => send('Runtime.runIfWaitingForDebugger'))
      .catch((error: unknown) => seen.push(`could not watch ${targetInfo.type} ${targetInfo.url}: ${String(error)}`));
  });
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const parsed = JSON.parse(message) as { method?: string; params?: { issue: Issue } };
    if (parsed.method === 'Audits.issueAdded' && parsed.params) noteIssue('worker', parsed.params.issue);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });

  return async () => [
    ...seen,
    ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
    // Silence from a worker nobody listened to would prove nothing.
    ...(workersWatched === 0 ? ['no training worker was watched'] : []),
  ];
}

/**
 * The response's headers that deploy/headers.ts names, as the browser applied them: a file
 * revalidated with a 304 keeps the headers of its cached 200 (allHeaders() would give the 304's).
 */
function productionHeadersOf(response: Response): Record<string, string | undefined> {
  const sent = response.headers();
  return Object.fromEntries(Object.keys(PRODUCTION_HEADERS).map((name) => [name, sent[name.toLowerCase()]]));
}

test('the page, its scripts, the training worker and the dataset files all carry the production headers', async ({ page, baseURL }) => {
  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));
  const first = await page.goto('/');
  await openDigitsRun(page);
  await trainForSteps(page, 5);

  const urls = responses.map((response) => response.url());
  expect(urls).toContainEqual(expect.stringMatching(WORKER_SCRIPT));
  expect(urls).toContainEqual(expect.stringMatching(DIGITS_FILE));
  expect(first!.url()).toBe(`${baseURL}/`);
  for (const response of responses) {
    expect(response.url().startsWith(`${baseURL}/`), `${response.url()} is not same-origin`).toBe(true);
    expect.soft(productionHeadersOf(response), response.url()).toEqual(PRODUCTION_HEADERS);
  }
});

test('the app runs cross-origin isolated and breaks no CSP rule while templates train', async ({ page }) => {
  test.setTimeout(180_000);
  const violations = await watchCspViolations(page);
  await page.goto('/');
  // SharedArrayBuffer, which a threaded engine needs, exists only in an isolated page.
  expect(await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);

  // The spiral: charts, gradient-colored edges, the decision boundary, an edge's inspector.
  await openTemplate(page, 'spiral-mlp');
  await trainForSteps(page, 50);
  await expect(page.getByTestId('decision-boundary')).toHaveAttribute('data-state', 'predicted');
  await page.getByTestId('gradient-edge').nth(1).click({ force: true });
  await expect(page.getByTestId('edge-inspector').getByRole('img', { name: /Gradient RMS of this edge over training steps/ })).toBeVisible();

  // Digits: a dataset file read by the worker, test images and a confusion matrix.
  await openDigitsRun(page);
  await trainForSteps(page, 20);
  await expect(page.getByTestId('sample-grid').getByRole('listitem')).toHaveCount(24);

  expect(await violations()).toEqual([]);
});

test('source maps ship: the training worker links its map and the map is served', async ({ page }) => {
  const worker = page.waitForEvent('worker');
  await page.goto('/');
  await openTemplate(page, 'spiral-mlp');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const script = await page.request.get((await worker).url());
  const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(await script.text())?.[1];
  expect(mapName).toMatch(/^training\.worker-[\w-]+\.js\.map$/);
  const map = await page.request.get(new URL(mapName!, script.url()).href);
  expect(map.ok()).toBe(true);
  expect((await map.json()) as { sources: string[] }).toHaveProperty('sources', expect.arrayContaining([expect.stringMatching(/worker\/training\.worker\.ts$/)]));
});

test('dist/_headers, written by the build for Netlify and Cloudflare Pages, holds the headers the preview sends', async ({ page }) => {
  const sent = productionHeadersOf((await page.goto('/'))!);
  const file = await readFile(new URL('../dist/_headers', import.meta.url), 'utf8');
  const [path, ...lines] = file.trimEnd().split('\n');
  expect(path).toBe('/*');
  const listed = Object.fromEntries(lines.map((line) => /^ {2}([\w-]+): (.+)$/.exec(line)!.slice(1, 3) as [string, string]));
  expect(listed).toEqual(sent);
});
