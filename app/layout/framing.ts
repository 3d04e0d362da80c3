/**
 * Where the camera goes when a graph is opened or fitted. Two ways of framing:
 *
 * - `readable` (a template, a file or the restored graph is opened): as much of the graph as fits
 *   at a zoom where node titles are still readable (13 px type at READABLE_ZOOM is 10.4 px on
 *   screen); a graph too tall for that is shown from its top (the Input) down, one too wide from its
 *   left, and the rest is a scroll away.
 * - `whole` (Fit view, F): the whole graph, however small that makes it.
 *
 * Both keep the graph clear of what floats over the canvas: the bar along its top and, when shown,
 * the minimap in the bottom-right corner.
 */

export type FramingMode = 'readable' | 'whole';

/** Opening a document asks the canvas for a frame with this event (detail: the mode; none means readable). */
export const FRAME_EVENT = 'gradflow:fit-view';

/** Title type is 13 px: at 0.8 it is 10.4 px on screen. */
export const READABLE_ZOOM = 0.8;
/** No closer than 1:1 — bigger nodes say nothing more. */
export const FRAME_MAX_ZOOM = 1;
export const FRAME_MIN_ZOOM = 0.1;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Asks the canvas to frame the graph, after the next paint (so a just-opened document is on the canvas). */
export function requestFraming(mode: FramingMode = 'readable'): void {
  requestAnimationFrame(() => window.dispatchEvent(new CustomEvent(FRAME_EVENT, { detail: mode })));
}

/**
 * The viewport that shows `bounds` (flow coordinates) inside a `width`×`height` pane, inside the
 * insets, at a zoom within [minZoom, maxZoom]: centred on an axis where it fits, from the top (or
 * left) edge where it does not.
 */
export function frameBounds(bounds: Rect, width: number, height: number, insets: Insets, minZoom: number, maxZoom: number): Viewport {
  const availW = Math.max(1, width - insets.left - insets.right);
  const availH = Math.max(1, height - insets.top - insets.bottom);
  const fit = Math.min(availW / Math.max(1, bounds.width), availH / Math.max(1, bounds.height));
  const zoom = Math.min(maxZoom, Math.max(minZoom, fit));
  const place = (size: number, avail: number, start: number, inset: number) => {
    const onScreen = size * zoom;
    return onScreen <= avail ? inset + (avail - onScreen) / 2 - start * zoom : inset - start * zoom;
  };
  return { x: place(bounds.width, availW, bounds.x, insets.left), y: place(bounds.height, availH, bounds.y, insets.top), zoom };
}

/**
 * Frames the graph around a corner obstacle (the minimap): either keep the graph left of it or
 * above it, whichever leaves the graph bigger — or fully visible, if only one of them does.
 */
export function frameAround(bounds: Rect, width: number, height: number, insets: Insets, corner: { width: number; height: number } | null, minZoom: number, maxZoom: number): Viewport {
  if (!corner) return frameBounds(bounds, width, height, insets, minZoom, maxZoom);
  const options = [
    { ...insets, right: Math.max(insets.right, corner.width) },
    { ...insets, bottom: Math.max(insets.bottom, corner.height) },
  ].map((pad) => {
    const v = frameBounds(bounds, width, height, pad, minZoom, maxZoom);
    const fits = bounds.width * v.zoom <= width - pad.left - pad.right + 0.5 && bounds.height * v.zoom <= height - pad.top - pad.bottom + 0.5;
    return { v, fits };
  });
  const [a, b] = options as [(typeof options)[0], (typeof options)[0]];
  if (a.fits !== b.fits) return a.fits ? a.v : b.v;
  return b.v.zoom > a.v.zoom ? b.v : a.v;
}

/** React Flow's own fit (fitView prop, useReactFlow().fitView): the same room around the graph, below the canvas bar. */
export const FIT_VIEW_OPTIONS = { padding: { top: 64, right: 24, bottom: 24, left: 24 }, maxZoom: FRAME_MAX_ZOOM } as const;
