/**
 * compile() on every edit, on the main thread (DESIGN.md: it is pure and cheap). The result is
 * cached on what compile reads — node types, parameters and labels, edges, and the dataset — so
 * moving nodes around does not recompile and does not re-render every node.
 */
import { compile } from '../../engine/compiler/compile';
import type { CompiledGraph, CompileIssue } from '../../engine/compiler/types';
import type { DatasetInfo } from '../../engine/data/types';
import type { GraphDocument, GraphNode } from '../graph/document';
import { describeTrainingDataset, uploadedCsvVersion } from './csv';
import { useGraph } from './graph';

interface CacheEntry {
  nodes: readonly GraphNode[];
  edges: GraphDocument['edges'];
  datasetKey: string;
  result: Compiled;
}

export interface Compiled {
  graph: CompiledGraph;
  dataset: DatasetInfo | null;
  /** A dataset that could not be described (unknown id, bad options). */
  datasetError: string | null;
  errorsByNode: ReadonlyMap<string, CompileIssue[]>;
  errorsByEdge: ReadonlyMap<string, CompileIssue[]>;
  errorCount: number;
}

let cache: CacheEntry | null = null;
/** The last document asked about: every node and edge asks on every change, so the common case is one comparison. */
let lastDoc: GraphDocument | null = null;
/** The uploaded CSV's version when `lastDoc` was compiled: a new CSV changes the dataset, not the document. */
let lastCsvVersion: number | null = null;

const FALLBACK_DATASET: DatasetInfo = { id: 'none', name: 'no dataset', task: 'multiclass', inputShape: [2], targetShape: [], numClasses: 2, count: 0 };

/** What compile reads besides the graph: the dataset, and the batch size (the memory budget counts buffers per sample). */
function datasetKey(doc: GraphDocument, csvVersion: number | null): string {
  return JSON.stringify([doc.training.dataset, doc.training.datasetOptions ?? null, csvVersion, doc.training.batchSize]);
}

function sameStructure(a: readonly GraphNode[], b: readonly GraphNode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.id !== y.id || x.type !== y.type || x.params !== y.params || x.label !== y.label)) return false;
  }
  return true;
}

export function compiledOf(doc: GraphDocument): Compiled {
  const csvVersion = uploadedCsvVersion(doc.training.dataset);
  if (doc === lastDoc && csvVersion === lastCsvVersion && cache) return cache.result;
  lastDoc = doc;
  lastCsvVersion = csvVersion;
  const key = datasetKey(doc, csvVersion);
  if (cache && cache.edges === doc.edges && cache.datasetKey === key && sameStructure(cache.nodes, doc.nodes)) {
    cache.nodes = doc.nodes;
    return cache.result;
  }
  let dataset: DatasetInfo | null = null;
  let datasetError: string | null = null;
  try {
    dataset = describeTrainingDataset(doc.training.dataset, doc.training.datasetOptions ?? {});
  } catch (e) {
    datasetError = e instanceof Error ? e.message : String(e);
  }
  const graph = compile(doc, dataset ?? FALLBACK_DATASET);
  const errorsByNode = new Map<string, CompileIssue[]>();
  const errorsByEdge = new Map<string, CompileIssue[]>();
  let errorCount = 0;
  for (const issue of graph.issues) {
    if (issue.severity === 'error') errorCount++;
    if (issue.nodeId) errorsByNode.set(issue.nodeId, [...(errorsByNode.get(issue.nodeId) ?? []), issue]);
    if (issue.edgeId) errorsByEdge.set(issue.edgeId, [...(errorsByEdge.get(issue.edgeId) ?? []), issue]);
  }
  const result: Compiled = { graph, dataset, datasetError, errorsByNode, errorsByEdge, errorCount: errorCount + (datasetError ? 1 : 0) };
  cache = { nodes: doc.nodes, edges: doc.edges, datasetKey: key, result };
  return result;
}

/** The compiled graph of the current document. */
export function useCompiled(): Compiled {
  return useGraph((s) => compiledOf(s.doc));
}
