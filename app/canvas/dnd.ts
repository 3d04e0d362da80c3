/** The MIME type a palette item carries when dragged onto the canvas. */
export const LAYER_DRAG_TYPE = 'application/x-gradflow-layer';
