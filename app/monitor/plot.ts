/**
 * Drawing the data views on a 2D canvas: the mapping from data to pixels, and the train and test
 * points on top of a heatmap or a curve (train filled, test outlined).
 */
import type { PredictionGrid } from '../../worker/protocol';

export type Extent = PredictionGrid['extent'];

/** Data coordinates to canvas pixels, y growing up. */
export interface PlotFrame {
  x: (v: number) => number;
  y: (v: number) => number;
}

export function plotFrame(extent: Extent, width: number, height: number): PlotFrame {
  const sx = width / (extent.xMax - extent.xMin);
  const sy = height / (extent.yMax - extent.yMin);
  return { x: (v) => (v - extent.xMin) * sx, y: (v) => height - (v - extent.yMin) * sy };
}

/** A canvas sized for the screen's pixel ratio, its context scaled so drawing is in CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** The ring that separates a point from whatever is under it: dark, or light for colors that can be dark themselves. */
export const DARK_HALO = 'rgb(12 13 16 / 0.75)';
export const LIGHT_HALO = 'rgb(232 233 237 / 0.3)';

export interface PointStyle {
  radius: number;
  color: (i: number) => string;
  halo?: string;
}

/** Rows of 2 features (x1, x2) or 1 feature with a target (x, y). */
export interface PointSet {
  count: number;
  x: (i: number) => number;
  y: (i: number) => number;
}

export function drawTrainPoints(ctx: CanvasRenderingContext2D, frame: PlotFrame, points: PointSet, style: PointStyle): void {
  ctx.lineWidth = 1;
  ctx.strokeStyle = style.halo ?? DARK_HALO;
  for (let i = 0; i < points.count; i++) {
    ctx.beginPath();
    ctx.arc(frame.x(points.x(i)), frame.y(points.y(i)), style.radius, 0, 2 * Math.PI);
    ctx.fillStyle = style.color(i);
    ctx.fill();
    ctx.stroke();
  }
}

export function drawTestPoints(ctx: CanvasRenderingContext2D, frame: PlotFrame, points: PointSet, style: PointStyle): void {
  for (let i = 0; i < points.count; i++) {
    const x = frame.x(points.x(i));
    const y = frame.y(points.y(i));
    ctx.beginPath();
    ctx.arc(x, y, style.radius, 0, 2 * Math.PI);
    ctx.lineWidth = 3;
    ctx.strokeStyle = style.halo ?? DARK_HALO;
    ctx.stroke();
    ctx.lineWidth = 1.4;
    ctx.strokeStyle = style.color(i);
    ctx.stroke();
  }
}

/** Smaller points when there are many, so the boundary under them still shows. */
export function pointRadius(count: number): number {
  return count > 3000 ? 1.25 : count > 1000 ? 1.75 : 2.5;
}
