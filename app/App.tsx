import { ReactFlowProvider } from '@xyflow/react';
import { Header } from './layout/Header';
import { Palette } from './palette/Palette';
import { Canvas } from './canvas/Canvas';
import { RightPanel } from './panels/RightPanel';

/** The three-pane shell: palette | canvas | inspector + training. */
export function App() {
  return (
    // The provider wraps every pane, not just the canvas, so the palette and the panels can
    // reach the flow instance (screenToFlowPosition, selection) once they need to.
    <ReactFlowProvider>
      <div className="flex h-dvh flex-col overflow-hidden bg-canvas text-ink antialiased">
        <Header />
        <div className="flex min-h-0 flex-1">
          <Palette />
          <Canvas />
          <RightPanel />
        </div>
      </div>
    </ReactFlowProvider>
  );
}
