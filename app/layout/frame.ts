/**
 * The frame around the canvas: how wide the side panels are and how tall the run monitor strip is,
 * by default (a share of the window, so 1280×720 and 1440×900 both leave the graph room) or as the
 * person dragged them (kept in the UI store), always within limits.
 */
import { useCallback, useState, useSyncExternalStore } from 'react';
import { useUi, type FrameSizes } from '../state/ui';

/** A folded panel leaves a rail this wide (or, for the strip, its title bar this tall). */
export const RAIL_SIZE = 40;
export const STRIP_BAR_HEIGHT = 32;

interface Limits {
  min: number;
  max: number;
}

type Window2 = { width: number; height: number };

/** Default and limits of each size for a window. Pixel sizes except `training`, a share of the side panel's height. */
export const FRAME: Record<keyof FrameSizes, { initial(w: Window2): number | undefined; limits(w: Window2): Limits }> = {
  palette: { initial: (w) => clamp(Math.round(w.width * 0.165), 208, 256), limits: () => ({ min: 184, max: 360 }) },
  side: { initial: (w) => clamp(Math.round(w.width * 0.245), 320, 380), limits: (w) => ({ min: 288, max: Math.max(288, Math.min(600, w.width * 0.4)) }) },
  monitor: { initial: (w) => clamp(Math.round(w.height * 0.28), 190, 300), limits: (w) => ({ min: 140, max: Math.max(140, Math.round(w.height * 0.6)) }) },
  // Undefined: the training pane is as tall as its content, up to TRAINING_SHARE_AUTO of the panel.
  training: { initial: () => undefined, limits: () => ({ min: 0.2, max: 0.8 }) },
};

/** Without a dragged size, the training pane takes what its content needs, up to this share, and the inspector the rest. */
export const TRAINING_SHARE_AUTO = 0.5;

export function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

function subscribeResize(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

const windowWidth = () => window.innerWidth;
const windowHeight = () => window.innerHeight;

export function useWindowSize(): Window2 {
  const width = useSyncExternalStore(subscribeResize, windowWidth, () => 1440);
  const height = useSyncExternalStore(subscribeResize, windowHeight, () => 900);
  return { width, height };
}

/** A size as shown: the dragged one within the window's limits, else the default. */
export function useFrameSize(which: 'palette' | 'side' | 'monitor'): { size: number; limits: Limits } {
  const saved = useUi((s) => s.sizes[which]);
  const win = useWindowSize();
  const limits = FRAME[which].limits(win);
  return { size: clamp(saved ?? FRAME[which].initial(win)!, limits.min, limits.max), limits };
}

/** An element's height, kept current by a ResizeObserver: pass `ref` to the element. */
export function useHeight<T extends HTMLElement>(): [ref: (el: T | null) => void, height: number] {
  const [height, setHeight] = useState(0);
  const ref = useCallback((el: T | null) => {
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);
  return [ref, height];
}
