/**
 * A layer's unit maps in its node's footer on the canvas (2D datasets, unit maps on): its first
 * UNIT_MAP_LIMIT units as small pictures of what each outputs over the input plane, "+N more" for
 * the rest. They take the footer's place (its shape and parameter count move to the tooltip), so
 * the node keeps its size: a placed or tidied graph keeps its spacing, and no strip covers a
 * neighbour. Hovering or focusing a unit shows it large, with its color scale and its incoming
 * weights, beside the node (raised over the others while it shows). Test hooks:
 * data-testid="unit-maps" (data-node-id), "unit-map" per unit, "unit-card".
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { getLayer } from '../../engine/layers/registry';
import type { UnitMaps } from '../../worker/protocol';
import { DIVERGING } from '../monitor/heatmap';
import { useMonitorRun } from '../monitor/run';
import { nodesById } from '../graph/document';
import { useGraph } from '../state/graph';
import { unitMapsOn, useUi } from '../state/ui';
import { training, useTraining } from '../training/store';
import { describeUnit, formatUnitValue, unitPixels, unitRange, unitScale } from './unitMaps';

/** Thumbnails per row, their size and gap in CSS pixels. */
const COLUMNS = 8;
// Two rows of 10 px fit the footer's height.
const THUMB = 10;
const GAP = 1;
/** The hover card's map, in CSS pixels. */
const LARGE = 160;
/** Incoming weights listed in the card; the rest are counted. */
const MAX_WEIGHTS = 12;

/** Whether the canvas shows unit maps now (the toggle, or its default for the graph's size). */
export function useUnitMapsShown(): boolean {
  const asked = useUi((s) => s.unitMaps);
  const count = useGraph((s) => s.doc.nodes.length);
  return unitMapsOn(asked, count);
}

/** Tells the worker whether grids should carry unit maps, as the toggle (or its default) changes. */
export function useUnitMapsSync(): void {
  const shown = useUnitMapsShown();
  useEffect(() => void training.unitMaps(shown), [shown]);
}

/** A node's unit maps when the canvas shows them (on, and in the latest grid), else undefined. `nodeId` null: none. */
export function useNodeUnitMaps(nodeId: string | null): UnitMaps | undefined {
  const shown = useUnitMapsShown();
  const maps = useMonitorRun((s) => (nodeId === null ? undefined : s.grid?.units?.find((u) => u.nodeId === nodeId)));
  return shown ? maps : undefined;
}

/** The footer's unit maps; `footer` says what the footer said (shape, parameters), now in the tooltip. */
export const UnitMapStrip = memo(function UnitMapStrip({ maps, footer }: { maps: UnitMaps; footer: string }) {
  const nodeId = maps.nodeId;
  const resolution = useMonitorRun((s) => s.grid?.resolution ?? 0);
  const [active, setActive] = useState<number | null>(null);
  if (resolution === 0) return null;
  const rows = Math.ceil(maps.shown / COLUMNS);
  const more = maps.units - maps.shown;
  return (
    <div
      data-testid="unit-maps"
      data-node-id={nodeId}
      role="group"
      aria-label={`Unit maps, ${maps.shown === maps.units ? `all ${maps.units}` : `the first ${maps.shown} of ${maps.units}`}: what each outputs over the input plane`}
      title={footer}
      className="nodrag relative flex items-center gap-2 border-t border-line px-3 py-1"
      onMouseLeave={() => setActive(null)}
    >
      <div className="relative" style={{ width: COLUMNS * THUMB + (COLUMNS - 1) * GAP, height: rows * THUMB + (rows - 1) * GAP }}>
        <Thumbnails maps={maps} resolution={resolution} rows={rows} />
        {Array.from({ length: maps.shown }, (_, u) => (
          <button
            key={u}
            type="button"
            data-testid="unit-map"
            data-unit={u}
            aria-label={describeUnit(maps, u)}
            aria-expanded={active === u}
            onMouseEnter={() => setActive(u)}
            onFocus={() => setActive(u)}
            onBlur={() => setActive((a) => (a === u ? null : a))}
            onKeyDown={(e) => e.key === 'Escape' && setActive(null)}
            className={`absolute rounded-[2px] outline-offset-1 ${active === u ? 'ring-2 ring-accent' : 'hover:ring-1 hover:ring-ink-faint'}`}
            style={{ left: (u % COLUMNS) * (THUMB + GAP), top: Math.floor(u / COLUMNS) * (THUMB + GAP), width: THUMB, height: THUMB }}
          />
        ))}
      </div>
      {more > 0 && (
        <span className="font-mono text-[10px] leading-3 text-ink-faint" title={`${more} more units not shown`}>
          +{more} more
        </span>
      )}
      {active !== null && active < maps.shown && <UnitCard maps={maps} unit={active} resolution={resolution} />}
    </div>
  );
});

/** All thumbnails on one canvas, redrawn when a new grid arrives. */
function Thumbnails({ maps, resolution, rows }: { maps: UnitMaps; resolution: number; rows: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const width = COLUMNS * THUMB + (COLUMNS - 1) * GAP;
  const height = rows * THUMB + (rows - 1) * GAP;
  useEffect(() => {
    const canvas = ref.current!;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = true;
    const source = unitSource(resolution);
    for (let u = 0; u < maps.shown; u++) {
      source.ctx.putImageData(new ImageData(unitPixels(maps, u, resolution), resolution, resolution), 0, 0);
      ctx.drawImage(source.canvas, Math.round((u % COLUMNS) * (THUMB + GAP) * dpr), Math.round(Math.floor(u / COLUMNS) * (THUMB + GAP) * dpr), Math.round(THUMB * dpr), Math.round(THUMB * dpr));
    }
  }, [maps, resolution, width, height]);
  return <canvas ref={ref} aria-hidden="true" className="absolute inset-0" style={{ width, height }} />;
}

/** One reusable canvas a unit's pixels go through on their way to a scaled drawImage. */
let source: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } | null = null;
function unitSource(resolution: number) {
  if (!source || source.canvas.width !== resolution) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = resolution;
    source = { canvas, ctx: canvas.getContext('2d')! };
  }
  return source;
}

/** The hovered unit, large: its map, the color scale it is drawn on, and its incoming weights. */
function UnitCard({ maps, unit, resolution }: { maps: UnitMaps; unit: number; resolution: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const range = unitRange(maps, unit);
  const { lo, hi } = unitScale(range);
  const nodeName = useNodeName(maps.nodeId);
  const incoming = maps.incoming;
  const fromName = useNodeName(incoming?.nodeId ?? '');
  const inputNames = useInputNames(incoming?.nodeId ?? null, incoming?.inputs ?? 0);
  useEffect(() => {
    const canvas = ref.current!;
    canvas.width = canvas.height = resolution;
    canvas.getContext('2d')!.putImageData(new ImageData(unitPixels(maps, unit, resolution), resolution, resolution), 0, 0);
  }, [maps, unit, resolution]);
  const weights = useMemo(() => {
    if (!incoming) return [];
    return Array.from({ length: incoming.inputs }, (_, i) => ({ name: inputNames[i]!, value: incoming.weights[unit * incoming.inputs + i]! }));
  }, [incoming, unit, inputNames]);
  const listed = weights.slice(0, MAX_WEIGHTS);
  const largest = Math.max(1e-12, ...weights.map((w) => Math.abs(w.value)), Math.abs(incoming?.bias?.[unit] ?? 0));
  return (
    <div
      data-testid="unit-card"
      role="dialog"
      aria-label={`${nodeName}, unit ${unit + 1} of ${maps.units}`}
      className="absolute top-0 left-full z-10 ml-3 flex w-60 cursor-default flex-col gap-2 rounded-lg border border-line-strong bg-raised p-3 text-left shadow-xl shadow-black/40"
    >
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-[13px] font-semibold text-ink">Unit {unit + 1}</span>
        <span className="truncate text-[11px] text-ink-faint">
          {nodeName} · {maps.units} units
        </span>
      </div>
      <canvas ref={ref} role="img" aria-label={describeUnit(maps, unit)} className="self-center rounded-md border border-line" style={{ width: LARGE, height: LARGE }} />
      <div role="img" aria-label={`Color scale: orange at ${formatUnitValue(lo)}, blue at ${formatUnitValue(hi)}${lo < 0 && hi > 0 ? ', dark at zero' : ''}`} className="flex flex-col gap-0.5">
        <div className="h-1.5 rounded-sm" style={{ background: `linear-gradient(to right, ${DIVERGING.low}, ${DIVERGING.mid}, ${DIVERGING.high})` }} />
        <div className="flex justify-between font-mono text-[10px] text-ink-faint tabular-nums">
          <span>{formatUnitValue(lo)}</span>
          <span>{formatUnitValue((lo + hi) / 2)}</span>
          <span>{formatUnitValue(hi)}</span>
        </div>
      </div>
      <p className="text-[11px] leading-4 text-ink-muted">
        Output from <span className="font-mono text-ink">{formatUnitValue(range.min)}</span> to <span className="font-mono text-ink">{formatUnitValue(range.max)}</span> over the plane.
      </p>
      {incoming && (
        <div className="flex flex-col gap-1" data-testid="unit-weights">
          <span className="text-[11px] font-medium text-ink-muted">Incoming weights{incoming.nodeId !== maps.nodeId ? ` (of ${fromName})` : ''}</span>
          <ul className="flex flex-col gap-0.5" aria-label="Incoming weights">
            {listed.map((w) => (
              <WeightRow key={w.name} name={w.name} value={w.value} largest={largest} />
            ))}
            {incoming.bias && <WeightRow name="bias" value={incoming.bias[unit]!} largest={largest} />}
          </ul>
          {weights.length > listed.length && <span className="font-mono text-[10px] text-ink-faint">+{weights.length - listed.length} more inputs</span>}
        </div>
      )}
    </div>
  );
}

function WeightRow({ name, value, largest }: { name: string; value: number; largest: number }) {
  const width = `${Math.min(50, (Math.abs(value) / largest) * 50)}%`;
  return (
    <li className="grid grid-cols-[4.5rem_1fr_3.5rem] items-center gap-1.5 text-[11px]" aria-label={`${name}: ${formatUnitValue(value)}`}>
      <span className="truncate font-mono text-ink-faint">{name}</span>
      <span className="relative h-2 rounded-sm bg-line/60" aria-hidden="true">
        <span className="absolute inset-y-0 left-1/2 w-px bg-ink-faint/60" />
        <span className="absolute inset-y-0 rounded-sm" style={{ width, background: value < 0 ? DIVERGING.low : DIVERGING.high, ...(value < 0 ? { right: '50%' } : { left: '50%' }) }} />
      </span>
      <span className="text-right font-mono text-ink tabular-nums">{formatUnitValue(value)}</span>
    </li>
  );
}

function useNodeName(nodeId: string): string {
  return useGraph((s) => {
    const node = nodesById(s.doc).get(nodeId);
    return node ? (node.label ?? getLayer(node.type)?.label ?? node.type) : nodeId;
  });
}

/** Names of a Dense's inputs: the dataset's feature names when it reads the Input, else "unit i". */
function useInputNames(denseId: string | null, inputs: number): string[] {
  const fromInput = useGraph((s) => {
    const edge = s.doc.edges.find((e) => e.target === denseId);
    return edge ? nodesById(s.doc).get(edge.source)?.type === 'input' : false;
  });
  const features = useTraining((s) => s.info?.dataset.featureNames);
  return useMemo(() => Array.from({ length: inputs }, (_, i) => (fromInput && features?.[i] ? features[i]! : `unit ${i + 1}`)), [fromInput, features, inputs]);
}
