import { ReactFlowProvider } from '@xyflow/react';
import { Header } from './layout/Header';
import { SidePane } from './layout/SidePane';
import { Palette } from './palette/Palette';
import { Canvas } from './canvas/Canvas';
import { MonitorPanel } from './monitor/MonitorPanel';
import { RightPanel } from './panels/RightPanel';
import { ShortcutsDialog } from './shortcuts/ShortcutsDialog';
import { AboutDialog } from './about/AboutDialog';
import { useShortcuts } from './shortcuts/useShortcuts';
import { useUi } from './state/ui';
import { TemplatesDialog } from './templates/TemplatesDialog';
import { OpenConfirmDialog } from './persistence/OpenConfirmDialog';
import { ExportDialog } from './persistence/ExportDialog';
import { TabSyncNotice } from './persistence/TabSyncNotice';
import { SummaryDialog } from './panels/SummaryDialog';

/**
 * The frame: header; palette | canvas over the run monitor strip | inspector + training. The
 * palette, the side panel and the strip each fold away and resize (state in state/ui.ts).
 */
export function App() {
  useShortcuts();
  const dialog = useUi((s) => s.dialog);
  return (
    // The provider wraps every pane, not just the canvas, so the palette and the panels can
    // reach the flow instance (screenToFlowPosition, fitView).
    <ReactFlowProvider>
      <div className="flex h-dvh flex-col overflow-hidden bg-canvas text-ink antialiased">
        <Header />
        <div className="flex min-h-0 flex-1">
          <SidePane panel="palette" railLabel="Layers">
            <Palette />
          </SidePane>
          <div className="flex min-w-0 flex-1 flex-col">
            <Canvas />
            <MonitorPanel />
          </div>
          <SidePane panel="side" railLabel="Inspector · Training">
            <RightPanel />
          </SidePane>
        </div>
      </div>
      {dialog === 'templates' && <TemplatesDialog />}
      {dialog === 'shortcuts' && <ShortcutsDialog />}
      {dialog === 'summary' && <SummaryDialog />}
      {dialog === 'about' && <AboutDialog />}
      <OpenConfirmDialog />
      <ExportDialog />
      <TabSyncNotice />
    </ReactFlowProvider>
  );
}
