import { lazy } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Header } from './layout/Header';
import { SidePane } from './layout/SidePane';
import { Palette } from './palette/Palette';
import { Canvas } from './canvas/Canvas';
import { MonitorPanel } from './monitor/MonitorPanel';
import { RightPanel } from './panels/RightPanel';
import { useShortcuts } from './shortcuts/useShortcuts';
import { useUi } from './state/ui';
import { OpenConfirmDialog } from './persistence/OpenConfirmDialog';
import { ExportDialog } from './persistence/ExportDialog';
import { TabSyncNotice } from './persistence/TabSyncNotice';
import { Dialog } from './ui/Dialog';
import { NotLoaded, OnDemand } from './ui/OnDemand';

// The dialogs load when first opened: none is on the first screen, and the templates parse twelve
// example models.
const TemplatesDialog = lazy(() => import('./templates/TemplatesDialog').then((m) => ({ default: m.TemplatesDialog })));
const ShortcutsDialog = lazy(() => import('./shortcuts/ShortcutsDialog').then((m) => ({ default: m.ShortcutsDialog })));
const SummaryDialog = lazy(() => import('./panels/SummaryDialog').then((m) => ({ default: m.SummaryDialog })));
const RunsDialog = lazy(() => import('./runs/RunsDialog').then((m) => ({ default: m.RunsDialog })));
const AboutDialog = lazy(() => import('./about/AboutDialog').then((m) => ({ default: m.AboutDialog })));

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
      {dialog && (
        // key: a dialog that could not be loaded does not stand in for the next one opened.
        <OnDemand key={dialog} fallback={null} failed={<DialogNotLoaded />}>
          {dialog === 'templates' && <TemplatesDialog />}
          {dialog === 'shortcuts' && <ShortcutsDialog />}
          {dialog === 'summary' && <SummaryDialog />}
          {dialog === 'about' && <AboutDialog />}
          {dialog === 'runs' && <RunsDialog />}
        </OnDemand>
      )}
      <OpenConfirmDialog />
      <ExportDialog />
      <TabSyncNotice />
    </ReactFlowProvider>
  );
}

function DialogNotLoaded() {
  return (
    <Dialog title="Not loaded" onClose={() => useUi.getState().openDialog(null)} width="max-w-md">
      <div className="p-5">
        <NotLoaded />
      </div>
    </Dialog>
  );
}
