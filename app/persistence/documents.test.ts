import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { csvForLoad, uploadCsv, useCsvUpload } from '../state/csv';
import { graphStore } from '../state/graph';
import { encodeSafetensors } from '../../engine/export/safetensors';
import { emptyDocument } from '../graph/document';
import { training } from '../training/store';
import { confirmOpen, copyShareLink, openFile, openShareLink, usePendingOpen } from './documents';
import { exportText } from './file';
import { spiralDocument } from './test-fixtures';

/** A header and `n` rows made by `row(i)`. */
function csv(header: string, n: number, row: (i: number) => string): string {
  return [header, ...Array.from({ length: n }, (_, i) => row(i))].join('\n');
}

const plants = csv('height,width,kind', 12, (i) => `${i * 0.5},${2 * i},${i % 3 === 0 ? 'fern' : 'moss'}`);
const onCsv = () => ({ ...spiralDocument(), name: 'Plants', training: { ...spiralDocument().training, dataset: 'csv' } });
const file = (text: string, name = 'plants.gradflow.json') => new File([text], name);

beforeEach(() => {
  // confirmOpen asks the canvas to fit the view on the next frame.
  vi.stubGlobal('requestAnimationFrame', () => 0);
  useCsvUpload.setState({ reading: null, version: 0 });
  usePendingOpen.setState({ pending: null });
  graphStore.getState().replaceDocument(spiralDocument(), 'reset');
});
afterEach(() => vi.unstubAllGlobals());

describe('opening a file that carries CSV data', () => {
  it('too much CSV data: refused with what and where, and the graph and the uploaded CSV stay as they were', async () => {
    uploadCsv(plants, 'mine.csv');
    const reading = useCsvUpload.getState().reading;
    const doc = graphStore.getState().doc;
    const big = exportText(onCsv(), { kind: 'csv', name: 'big.csv', text: `a,label\n${'1,0\n'.repeat(1_400_000)}` });
    await openFile(file(big, 'big.gradflow.json'));
    expect(graphStore.getState().doc).toBe(doc);
    expect(useCsvUpload.getState().reading).toBe(reading);
    expect(usePendingOpen.getState().pending).toBeNull();
    expect(graphStore.getState().notice).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(/^big\.gradflow\.json: data\.text: the CSV is 5\.4 MB; a model file carries at most 5 MB of CSV data .*Your graph was not changed\.$/),
    });
  });

  it('asks first, then makes its CSV the uploaded one, with the label column and task it was saved with', async () => {
    await openFile(file(exportText(onCsv(), { kind: 'csv', name: 'plants.csv', labelColumn: 'height', task: 'regression', text: csv('height,width', 12, (i) => `${i},${i * 3}`) })));
    const pending = usePendingOpen.getState().pending!;
    expect(pending.data).toMatchObject({ name: 'plants.csv' });
    expect(useCsvUpload.getState().reading).toBeNull(); // nothing changes before the user says yes
    confirmOpen(pending);
    expect(graphStore.getState().doc.name).toBe('Plants');
    expect(csvForLoad('csv')!.choice).toMatchObject({ name: 'plants.csv', labelColumn: 'height', task: 'regression' });
    expect(graphStore.getState().notice?.text).toContain('Its CSV data (plants.csv) is now the uploaded CSV.');
  });

  it('the graph already open, with its CSV: the CSV is taken without asking', async () => {
    graphStore.getState().replaceDocument(onCsv(), 'reset');
    await openFile(file(exportText(onCsv(), { kind: 'csv', name: 'plants.csv', text: plants })));
    expect(usePendingOpen.getState().pending).toBeNull();
    expect(csvForLoad('csv')!.choice).toMatchObject({ name: 'plants.csv', labelColumn: 'kind' });
  });

  it('a file that names its CSV without the rows says which CSV to upload, and keeps the uploaded one', async () => {
    uploadCsv(plants, 'mine.csv');
    graphStore.getState().replaceDocument({ ...onCsv(), name: 'Other' }, 'reset');
    await openFile(file(exportText(onCsv(), { kind: 'csv', name: 'plants.csv', labelColumn: 'kind' })));
    confirmOpen(usePendingOpen.getState().pending!);
    expect(useCsvUpload.getState().reading?.fileName).toBe('mine.csv');
    expect(graphStore.getState().notice?.text).toContain("It was built on plants.csv, predicting 'kind', which the file does not include: upload it under Dataset to train.");
  });
});

describe('opening a share link that cannot be opened', () => {
  it('says so in one sentence, and the graph stays as it was', () => {
    const replaced: string[] = [];
    vi.stubGlobal('window', { location: { pathname: '/', search: '' } });
    vi.stubGlobal('history', { replaceState: (_state: unknown, _title: string, url: string) => void replaced.push(url) });
    const doc = graphStore.getState().doc;
    openShareLink('#model=');
    expect(graphStore.getState().doc).toBe(doc);
    expect(graphStore.getState().notice).toMatchObject({ kind: 'error', text: 'This share link cannot be opened: it holds no model. Your graph was not changed.' });
    expect(replaced).toEqual(['/']);
  });
});

describe('sharing a trained model', () => {
  const weights = encodeSafetensors([{ name: 'dense_1.kernel', shape: [3], data: Float32Array.from([0.5, -1.25, 3]) }]);
  let copied: string[];
  beforeEach(() => {
    copied = [];
    vi.stubGlobal('window', { location: { origin: 'https://gradflow.example', pathname: '/', search: '' } });
    vi.stubGlobal('navigator', { clipboard: { writeText: (text: string) => Promise.resolve(void copied.push(text)) } });
  });
  afterEach(() => vi.restoreAllMocks());

  it('the link carries the run’s weights when they fit, and opening it starts the run from them', async () => {
    vi.spyOn(training, 'exportWeights').mockResolvedValue({ bytes: weights.slice() });
    await copyShareLink();
    expect(copied[0]).toMatch(/^https:\/\/gradflow\.example\/#model=[\w-]+&weights=[\w-]+$/);
    expect(graphStore.getState().notice?.text).toMatch(/^Link copied \([\d,]+ characters\)\. Anyone who opens it gets this model and its trained weights\.$/);

    const imported: Uint8Array[] = [];
    vi.spyOn(training, 'importWeights').mockImplementation((bytes) => {
      imported.push(bytes);
      return Promise.resolve({ ok: true as const, loaded: 1 });
    });
    vi.stubGlobal('history', { replaceState: () => {} });
    graphStore.getState().replaceDocument(emptyDocument(), 'reset');
    openShareLink(copied[0]!.slice(copied[0]!.indexOf('#')));
    await vi.waitFor(() => expect(imported).toEqual([weights]));
    expect(graphStore.getState().notice?.text).toContain('Its run starts from the trained weights it carries (1 tensor).');
  });

  it('weights too large for a link: the link carries the model, and the notice says how to share them', async () => {
    const big = encodeSafetensors([{ name: 'dense_1.kernel', shape: [40_000], data: Float32Array.from({ length: 40_000 }, (_, i) => Math.sin(i * 78.233) * 43758.5453 % 1) }]);
    vi.spyOn(training, 'exportWeights').mockResolvedValue({ bytes: big });
    await copyShareLink();
    expect(copied[0]).not.toContain('weights=');
    expect(graphStore.getState().notice?.text).toMatch(/Anyone who opens it gets this model\. Its trained weights \(1\d\d(\.\d)? KB compressed\) are more than the 64 KB a link carries: share them with Export → Model \+ trained weights\.$/);
  });

  it('no run loaded: the link carries the model alone, and says nothing of weights', async () => {
    vi.spyOn(training, 'exportWeights').mockResolvedValue({ error: 'Press Train or Step first: no model is loaded in the worker yet.' });
    await copyShareLink();
    expect(copied[0]).not.toContain('weights=');
    expect(graphStore.getState().notice?.text).toMatch(/^Link copied \([\d,]+ characters\)\. Anyone who opens it gets this model\.$/);
  });
});
