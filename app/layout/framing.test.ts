import { describe, expect, it } from 'vitest';
import { frameAround, frameBounds, READABLE_ZOOM, type Rect, type Viewport } from './framing';

const INSETS = { top: 64, right: 24, bottom: 24, left: 24 };

/** Where the bounds land on screen under a viewport. */
function onScreen(b: Rect, v: Viewport): { left: number; top: number; right: number; bottom: number } {
  return { left: b.x * v.zoom + v.x, top: b.y * v.zoom + v.y, right: (b.x + b.width) * v.zoom + v.x, bottom: (b.y + b.height) * v.zoom + v.y };
}

describe('frameBounds', () => {
  it('centres a graph that fits, inside the insets, no closer than 1:1', () => {
    const bounds = { x: 100, y: 50, width: 200, height: 100 };
    const v = frameBounds(bounds, 800, 600, INSETS, READABLE_ZOOM, 1);
    expect(v.zoom).toBe(1);
    const s = onScreen(bounds, v);
    expect(s.left - INSETS.left).toBeCloseTo(800 - INSETS.right - s.right);
    expect(s.top - INSETS.top).toBeCloseTo(600 - INSETS.bottom - s.bottom);
  });

  it('shows a graph too tall to read whole from its top, at the readable zoom, centred across', () => {
    const bounds = { x: 0, y: 0, width: 176, height: 1352 };
    const v = frameBounds(bounds, 800, 600, INSETS, READABLE_ZOOM, 1);
    expect(v.zoom).toBe(READABLE_ZOOM);
    const s = onScreen(bounds, v);
    expect(s.top).toBeCloseTo(INSETS.top);
    expect(s.left - INSETS.left).toBeCloseTo(800 - INSETS.right - s.right);
  });

  it('starts a graph too wide to read whole at its left edge', () => {
    const bounds = { x: -40, y: 0, width: 2000, height: 100 };
    const v = frameBounds(bounds, 800, 600, INSETS, READABLE_ZOOM, 1);
    expect(onScreen(bounds, v).left).toBeCloseTo(INSETS.left);
  });

  it('fits the whole graph when the zoom may go low enough', () => {
    const bounds = { x: 0, y: 0, width: 976, height: 1352 };
    const v = frameBounds(bounds, 800, 600, INSETS, 0.1, 1);
    const s = onScreen(bounds, v);
    expect(s.top).toBeGreaterThanOrEqual(INSETS.top - 1e-6);
    expect(s.bottom).toBeLessThanOrEqual(600 - INSETS.bottom + 1e-6);
    expect(s.right).toBeLessThanOrEqual(800 - INSETS.right + 1e-6);
  });
});

describe('frameAround', () => {
  const corner = { width: 200, height: 150 };
  const clear = (b: Rect, v: Viewport, w: number, h: number) => {
    const s = onScreen(b, v);
    return s.right <= w - corner.width + 1e-6 || s.bottom <= h - corner.height + 1e-6;
  };

  it('keeps a tall graph left of the corner, or a wide one above it', () => {
    const tall = { x: 0, y: 0, width: 720, height: 600 };
    const wide = { x: 0, y: 0, width: 900, height: 200 };
    for (const b of [tall, wide]) {
      const v = frameAround(b, 900, 700, INSETS, corner, READABLE_ZOOM, 1);
      expect(clear(b, v, 900, 700)).toBe(true);
    }
  });

  it('without a corner, frames as frameBounds does', () => {
    const b = { x: 0, y: 0, width: 300, height: 300 };
    expect(frameAround(b, 900, 700, INSETS, null, READABLE_ZOOM, 1)).toEqual(frameBounds(b, 900, 700, INSETS, READABLE_ZOOM, 1));
  });
});
