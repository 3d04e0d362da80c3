import type { ReactFlowInstance } from '@xyflow/react';
import type { SizeOf } from '../graph/placement';

/** The MIME type a palette item carries when dragged onto the canvas. */
export const LAYER_DRAG_TYPE = 'application/x-gradflow-layer';

/** How far from an edge's drawn curve a drop still lands on it, in screen pixels. */
const EDGE_DROP_TOLERANCE = 14;

/**
 * The edge under a screen point, for dropping a layer into it: the drawn edge whose curve passes
 * nearest the point, within a few pixels, or null. A point over a layer card is on that layer,
 * not on an edge beneath or beside it. The curve is sampled (about every 4 screen pixels) rather
 * than hit-tested, so the tolerance does not depend on the invisible interaction stroke.
 */
export function edgeAtPoint(root: ParentNode, x: number, y: number): string | null {
  if (document.elementsFromPoint(x, y).some((el) => el.closest('.react-flow__node'))) return null;
  let best: string | null = null;
  let bestDistance = EDGE_DROP_TOLERANCE;
  for (const path of root.querySelectorAll<SVGPathElement>('path.gradient-edge-path[data-edge-id]')) {
    const box = path.getBoundingClientRect();
    if (x < box.left - bestDistance || x > box.right + bestDistance || y < box.top - bestDistance || y > box.bottom + bestDistance) continue;
    const toScreen = path.getScreenCTM();
    if (!toScreen) continue;
    const length = path.getTotalLength();
    const samples = Math.max(8, Math.ceil((length * Math.hypot(toScreen.a, toScreen.b)) / 4));
    for (let i = 0; i <= samples; i++) {
      const p = path.getPointAtLength((length * i) / samples).matrixTransform(toScreen);
      const distance = Math.hypot(p.x - x, p.y - y);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = path.getAttribute('data-edge-id');
      }
    }
  }
  return best;
}

/** Layer sizes as React Flow measured them, for placing a new layer clear of the others. */
export function measuredSizes(flow: ReactFlowInstance): SizeOf {
  return (id) => {
    const m = flow.getInternalNode(id)?.measured;
    return m?.width && m.height ? { width: m.width, height: m.height } : undefined;
  };
}
