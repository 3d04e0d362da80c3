import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useEdgesState, useNodesState } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import { EmptyCanvasHint } from './EmptyCanvasHint';

/**
 * The model canvas. Nodes and edges live in local React Flow state for now; the graph store
 * (zustand, with undo) replaces it when layers can be added.
 */
export function Canvas() {
  const [nodes, , onNodesChange] = useNodesState<Node>([]);
  const [edges, , onEdgesChange] = useEdgesState<Edge>([]);

  return (
    <main aria-label="Model canvas" className="relative min-w-0 flex-1">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        colorMode="dark"
        minZoom={0.25}
        maxZoom={2}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.25} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Canvas overview" />
      </ReactFlow>
      {nodes.length === 0 && <EmptyCanvasHint />}
    </main>
  );
}
