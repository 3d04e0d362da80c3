import { useEffect } from 'react';
import { MiniMap, useReactFlow, useStore, useStoreApi, type Node } from '@xyflow/react';
import { EdgeLegend } from '../canvas/EdgeLegend';
import { useGraph } from '../state/graph';
import { useUi } from '../state/ui';
import { useTraining } from '../training/store';
import { endWave, skipWave, useBackpropWave } from '../training/backpropWave';
import { ActionButton, Icon } from './ActionButton';
import { FRAME_EVENT, FRAME_MAX_ZOOM, FRAME_MIN_ZOOM, frameAround, READABLE_ZOOM, type FramingMode, type Viewport } from './framing';

/** The bar along the canvas' top (it floats over the pane, so framing keeps the graph below it). */
const BAR_HEIGHT = 40;
const MINIMAP = { width: 168, height: 112, margin: 12 };
/** Room around a framed graph, and below the bar. */
const GAP = 24;

/**
 * What floats over the canvas, rendered inside React Flow: the canvas bar (zoom, fit, tidy, edge
 * shapes, minimap switch, and the edge color legend once a run has data), the minimap when it is
 * switched on, and the framing of the graph when a document opens or Fit view is asked for.
 */
export function CanvasChrome({ nodeColor }: { nodeColor: (node: Node) => string }) {
  const hasNodes = useGraph((s) => s.doc.nodes.length > 0);
  const showMinimap = useUi((s) => s.showMinimap);
  useFraming();
  return (
    <>
      <CanvasBar />
      <BackpropWaveStatus />
      {hasNodes && showMinimap && (
        <MiniMap
          pannable
          zoomable
          ariaLabel="Canvas overview"
          nodeColor={nodeColor}
          nodeStrokeWidth={0}
          style={{ width: MINIMAP.width, height: MINIMAP.height, margin: MINIMAP.margin }}
        />
      )}
    </>
  );
}

function CanvasBar() {
  const flow = useReactFlow();
  const zoom = useStore((s) => s.transform[2]);
  const hasData = useTraining((s) => s.snapshot !== null && s.snapshot.step > 0);
  const percent = Math.round(zoom * 100);
  // The legend takes half the bar: the tools keep their text only where both fit.
  const labels = hasData ? 'more-room' : 'room';
  return (
    <div
      role="group"
      aria-label="Canvas view"
      data-testid="canvas-bar"
      className="@container absolute inset-x-0 top-0 z-20 flex items-center gap-1 border-b border-line bg-panel/90 px-2 backdrop-blur-sm"
      style={{ height: BAR_HEIGHT }}
    >
      <div role="group" aria-label="Zoom" data-testid="zoom-controls" className="flex h-7 shrink-0 items-center rounded-md border border-line bg-canvas/60">
        <ZoomButton label="Zoom out" onClick={() => void flow.zoomOut({ duration: 150 })} d="M4 8h8" />
        <button
          type="button"
          aria-label={`Zoom ${percent}%: back to 100%`}
          title="Zoom to 100%"
          onClick={() => void flow.zoomTo(1, { duration: 150 })}
          className="h-full w-12 border-x border-line font-mono text-[11px] text-ink-muted tabular-nums hover:bg-hover hover:text-ink"
        >
          {percent}%
        </button>
        <ZoomButton label="Zoom in" onClick={() => void flow.zoomIn({ duration: 150 })} d="M4 8h8M8 4v8" />
      </div>
      <ActionButton id="fitView" text={labels} className="h-7" icon={<Icon d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" />} />
      <span className="mx-1 h-4 w-px shrink-0 bg-line" aria-hidden="true" />
      <ActionButton id="tidy" text={labels} className="h-7" icon={<Icon d="M2 3.5h4v3H2zM10 2h4v3h-4zM10 9.5h4v3h-4zM6 5h4M8 5v6.5h2" />} />
      <ActionButton id="edgeShapes" text={labels} className="h-7" icon={<Icon d="M2 8h3M11 8h3M5.5 5.5h5v5h-5z" />} />
      <ActionButton id="stepSlowly" text={labels} className="h-7" icon={<Icon d="M13.5 8H4M7.5 4.5 4 8l3.5 3.5M2.5 3v10" />} />
      <ActionButton id="unitMaps" text={labels} className="h-7" icon={<Icon d="M2.5 2.5h4.5v4.5H2.5zM9 2.5h4.5v4.5H9zM2.5 9h4.5v4.5H2.5zM9 9h4.5v4.5H9z" />} />
      <ActionButton id="minimap" text={labels} className="h-7" icon={<Icon d="M2 3.5h12v9H2zM9 8.5h3.5v2.5H9z" />} />
      {hasData && <EdgeLegend className="ml-auto" />}
    </div>
  );
}

/** Over the canvas' bottom-left corner (above the notice) while "Step slowly" plays: how far the gradient has come, with Skip (or Escape); then Close. */
function BackpropWaveStatus() {
  const wave = useBackpropWave((s) => s.wave);
  const playing = wave !== null && wave.reached < wave.count;
  useEffect(() => {
    if (!wave) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      if (playing) skipWave();
      else endWave();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [wave, playing]);
  if (!wave) return null;
  const text = wave.still
    ? `Backward pass of step ${wave.step.toLocaleString('en-US')}, shown at once (reduced motion): every edge has its gradient.`
    : playing
      ? `Backward pass of step ${wave.step.toLocaleString('en-US')}: the gradient has come back through ${wave.reached} of ${wave.count} layers of edges.`
      : `Backward pass of step ${wave.step.toLocaleString('en-US')}: the gradient has reached every edge, from the loss back to the input.`;
  const compact = wave.still ? 'all at once' : playing ? `${wave.reached} of ${wave.count} layers back` : `all ${wave.count} layers back`;
  return (
    <div
      data-testid="backprop-wave"
      data-playing={playing}
      className="absolute bottom-16 left-4 z-30 flex h-8 items-center gap-2 rounded-lg border border-accent/40 bg-raised/95 pr-1 pl-3 text-xs text-ink shadow-lg shadow-black/30"
    >
      <span role="status" aria-live="polite" className="sr-only">
        {text}
      </span>
      <span aria-hidden="true" className="flex items-baseline gap-1.5 whitespace-nowrap">
        <span className="font-semibold">Backward pass</span>
        <span className="text-ink-faint">step {wave.step.toLocaleString('en-US')}</span>
        <span className="font-mono text-[11px] text-ink-muted tabular-nums">{compact}</span>
      </span>
      <button type="button" onClick={playing ? skipWave : endWave} className="h-5.5 shrink-0 rounded border border-line bg-panel px-2 text-[11px] font-medium text-ink-muted hover:border-line-strong hover:text-ink" aria-keyshortcuts="Escape">
        {playing ? 'Skip' : 'Close'}
      </button>
    </div>
  );
}

function ZoomButton({ label, onClick, d }: { label: string; onClick: () => void; d: string }) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick} className="grid h-full w-7 place-items-center text-ink-muted hover:bg-hover hover:text-ink">
      <Icon d={d} className="size-3.5" />
    </button>
  );
}

/**
 * Frames the graph on FRAME_EVENT: readable when a document opens, whole for Fit view; clear of the
 * bar and the minimap. A framed view stays framed while nobody moves it: when the canvas changes
 * size (the run monitor opens under it, a panel folds away), the same framing is done again.
 */
function useFraming(): void {
  const flow = useReactFlow();
  const store = useStoreApi();
  useEffect(() => {
    let frame = 0;
    let framed: { mode: FramingMode; viewport: Viewport } | null = null;
    const frameGraph = (mode: FramingMode, tries: number, duration: number) => {
      const { nodeLookup, width, height } = store.getState();
      if (nodeLookup.size === 0 || width === 0) return;
      const nodes = [...nodeLookup.values()];
      // A document that just opened is drawn before React Flow has measured its nodes: wait a few frames for their sizes.
      if (tries < 30 && nodes.some((n) => !n.measured.width)) {
        frame = requestAnimationFrame(() => frameGraph(mode, tries + 1, duration));
        return;
      }
      const bounds = flow.getNodesBounds(nodes);
      const insets = { top: BAR_HEIGHT + GAP, right: GAP, bottom: GAP, left: GAP };
      const corner = useUi.getState().showMinimap ? { width: MINIMAP.width + MINIMAP.margin + GAP, height: MINIMAP.height + MINIMAP.margin + GAP } : null;
      const viewport = frameAround(bounds, width, height, insets, corner, mode === 'readable' ? READABLE_ZOOM : FRAME_MIN_ZOOM, FRAME_MAX_ZOOM);
      framed = { mode, viewport };
      void flow.setViewport(viewport, { duration });
    };
    const onFrame = (event: Event) => {
      cancelAnimationFrame(frame);
      // Fit view glides from where the person was; an opened document simply appears, framed.
      const mode = (event as CustomEvent<unknown>).detail === 'whole' ? 'whole' : 'readable';
      frameGraph(mode, 0, mode === 'whole' ? 200 : 0);
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (!framed || (state.width === previous.width && state.height === previous.height)) return;
      const [x, y, zoom] = state.transform;
      const moved = Math.abs(x - framed.viewport.x) > 1 || Math.abs(y - framed.viewport.y) > 1 || Math.abs(zoom - framed.viewport.zoom) > 1e-3;
      if (moved) framed = null;
      else frameGraph(framed.mode, 0, 0);
    });
    window.addEventListener(FRAME_EVENT, onFrame);
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
      window.removeEventListener(FRAME_EVENT, onFrame);
    };
  }, [flow, store]);
}
