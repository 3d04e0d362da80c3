import { expect, test, type Page } from '@playwright/test';
import { canvas, nodeOf } from './helpers';

type Doc = { nodes: { id: string; type: string }[]; edges: { id: string; source: string; target: string }[] };

async function documentOf(page: Page): Promise<Doc> {
  return page.evaluate(() => (window as unknown as { __gradflow: { document(): Doc } }).__gradflow.document());
}

/** The layer types along the chain from the layer with no inputs, or null when the graph is not one chain. */
async function chain(page: Page): Promise<string[] | null> {
  const doc = await documentOf(page);
  const starts = doc.nodes.filter((n) => !doc.edges.some((e) => e.target === n.id));
  if (starts.length !== 1) return null;
  const types: string[] = [];
  for (let node: Doc['nodes'][number] | undefined = starts[0]; node; ) {
    types.push(node.type);
    const out = doc.edges.filter((e) => e.source === node!.id);
    if (out.length > 1) return null;
    node = out[0] && doc.nodes.find((n) => n.id === out[0]!.target);
  }
  return types.length === doc.nodes.length ? types : null;
}

/** Pairs of layer cards that overlap on screen. */
async function overlappingCards(page: Page): Promise<number> {
  const boxes = await canvas(page).locator('.react-flow__node').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
  let pairs = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => (pairs += a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom ? 1 : 0)));
  return pairs;
}

async function clickChain(page: Page, types: string[]): Promise<void> {
  for (const [i, type] of types.entries()) {
    await page.getByTestId(`palette-item-${type}`).click();
    await expect(page.getByTestId('layer-node')).toHaveCount(i + 1);
  }
}

/** A point on an edge's drawn curve, `at` of the way from source to target, in page pixels. */
async function pointOnEdge(page: Page, source: string, target: string, at: number): Promise<{ x: number; y: number }> {
  const doc = await documentOf(page);
  const edge = doc.edges.find((e) => e.source === source && e.target === target)!;
  return page.locator(`[data-testid="gradient-edge"][data-edge-id="${edge.id}"]`).evaluate((path: SVGPathElement, t) => {
    const p = path.getPointAtLength(path.getTotalLength() * t).matrixTransform(path.getScreenCTM()!);
    return { x: p.x, y: p.y };
  }, at);
}

/** Like pointOnEdge, once the view has stopped moving (it pans to follow a newly added layer). */
async function settledPointOnEdge(page: Page, source: string, target: string, at: number): Promise<{ x: number; y: number }> {
  let last = '';
  let point = { x: 0, y: 0 };
  await expect
    .poll(
      async () => {
        point = await pointOnEdge(page, source, target, at);
        const key = `${point.x.toFixed(1)},${point.y.toFixed(1)}`;
        const settled = key === last;
        last = key;
        return settled;
      },
      { message: 'the view stops moving', timeout: 10_000, intervals: [100] },
    )
    .toBe(true);
  return point;
}

/** Drags a palette layer with the mouse and drops it at a page point; `whileOver` runs before the button is released. */
async function dropAt(page: Page, type: string, point: { x: number; y: number }, whileOver?: () => Promise<void>): Promise<void> {
  const item = (await page.getByTestId(`palette-item-${type}`).boundingBox())!;
  await page.mouse.move(item.x + item.width / 2, item.y + item.height / 2);
  await page.mouse.down();
  await page.mouse.move(point.x - 40, point.y - 20, { steps: 6 });
  await page.mouse.move(point.x, point.y, { steps: 4 });
  await whileOver?.();
  await page.mouse.up();
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('clicking Input, Dense, ReLU, Dense, Output builds a wired chain, each layer below the last, none overlapping', async ({ page }) => {
  await clickChain(page, ['input', 'dense', 'relu', 'dense', 'output']);
  await expect.poll(() => chain(page)).toEqual(['input', 'dense', 'relu', 'dense', 'output']);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(4);
  expect(await overlappingCards(page)).toBe(0);

  // Each layer sits below the one before it, and the last one is in view.
  const tops = await Promise.all(['input', 'relu', 'output'].map(async (t) => (await nodeOf(page, t).boundingBox())!.y));
  expect(tops[0]).toBeLessThan(tops[1]!);
  expect(tops[1]).toBeLessThan(tops[2]!);
  await expect(nodeOf(page, 'output')).toBeInViewport();
  // The new layer is the selected one (so the next click follows it).
  await expect(nodeOf(page, 'output').locator('xpath=..')).toHaveClass(/selected/);

  // The wiring is right; what is left is the model's own choice: Dense 32 for 2 classes. Fix it and it trains.
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(1);
  await expect(nodeOf(page, 'output')).toHaveAttribute('data-error', /32 values per sample, but Spiral has 2 classes/);
  await nodeOf(page, 'dense', 1).click();
  const units = page.getByRole('region', { name: 'Inspector' }).getByLabel('Units');
  await units.fill('2');
  await units.press('Enter');
  await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();

  // Undo takes back one add at a time.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-node')).toHaveCount(4);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(3);
});

test('a layer added while a wired layer is selected goes in after it, and the rest moves down', async ({ page }) => {
  await clickChain(page, ['input', 'dense', 'output']);
  await nodeOf(page, 'dense').click();
  // From the keyboard: Enter on a palette item adds it as a click does.
  await page.getByTestId('palette-item-relu').press('Enter');
  await expect.poll(() => chain(page)).toEqual(['input', 'dense', 'relu', 'output']);
  expect(await overlappingCards(page)).toBe(0);
});

test('dropping Dropout onto an edge inserts it there; one Ctrl+Z takes it out again', async ({ page }) => {
  await clickChain(page, ['input', 'dense', 'relu', 'dense', 'output']);
  const before = await documentOf(page);
  const [relu, dense] = [before.nodes[2]!.id, before.nodes[3]!.id];
  // Drop it two fifths down the ReLU → Dense edge; while over it, the edge is highlighted.
  const point = await settledPointOnEdge(page, relu, dense, 0.4);
  // The view followed the chain as it grew, so this edge is on screen.
  const view = (await canvas(page).boundingBox())!;
  expect(point.y).toBeGreaterThan(view.y);
  expect(point.y).toBeLessThan(view.y + view.height);
  await dropAt(page, 'dropout', point, async () => {
    await expect(canvas(page).locator('.react-flow__edge.drop-target')).toHaveCount(1);
  });
  await expect(page.getByTestId('layer-node')).toHaveCount(6);
  await expect.poll(() => chain(page)).toEqual(['input', 'dense', 'relu', 'dropout', 'dense', 'output']);
  await expect(page.getByTestId('gradient-edge')).toHaveCount(5);
  await expect(canvas(page).locator('.react-flow__edge.drop-target')).toHaveCount(0);
  // The layers after it moved down to make room.
  await expect.poll(() => overlappingCards(page)).toBe(0);

  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-node')).toHaveCount(5);
  await expect.poll(async () => JSON.stringify(await documentOf(page))).toBe(JSON.stringify(before));
});

test('a layer that cannot go into the edge it is dropped on is added unwired, and the app says why', async ({ page }) => {
  await clickChain(page, ['input', 'dense', 'relu']);
  const before = await documentOf(page);
  const point = await settledPointOnEdge(page, before.nodes[1]!.id, before.nodes[2]!.id, 0.5);
  await dropAt(page, 'input', point);
  await expect(page.getByTestId('layer-node')).toHaveCount(4);
  await expect(page.getByTestId('notice')).toContainText('Input cannot go into that connection, so it was added unwired');
  expect((await documentOf(page)).edges).toEqual(before.edges);
});
