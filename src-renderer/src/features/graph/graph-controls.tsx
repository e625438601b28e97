/**
 * The graph's zoom and fit buttons: React Flow's own panel, its buttons ours, so that each explains
 * itself in a popover (keyboard and hover alike) instead of the native `title` React Flow gives its
 * built-in ones. The icons are drawn here: React Flow does not export its own.
 */
import { ControlButton, Controls, useReactFlow, type FitViewOptions } from '@xyflow/react';
import { Tooltip } from '../../components/tooltip';

const Icon = ({ d }: { d: string }) => (
  <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
    <path d={d} />
  </svg>
);
const PLUS = 'M7 2h2v5h5v2H9v5H7V9H2V7h5z';
const MINUS = 'M2 7h12v2H2z';
// Four corners: the whole graph brought into the window.
const FIT = 'M2 2h5v2H4v3H2zm7 0h5v5h-2V4H9zM2 9h2v3h3v2H2zm10 0h2v5H9v-2h3z';

export function GraphControls({ fit }: { fit: FitViewOptions }) {
  const { zoomIn, zoomOut, fitView } = useReactFlow();
  return (
    <Controls showZoom={false} showFitView={false} showInteractive={false}>
      <Tooltip text="Zoom in">
        <ControlButton onClick={() => void zoomIn()} aria-label="Zoom in">
          <Icon d={PLUS} />
        </ControlButton>
      </Tooltip>
      <Tooltip text="Zoom out">
        <ControlButton onClick={() => void zoomOut()} aria-label="Zoom out">
          <Icon d={MINUS} />
        </ControlButton>
      </Tooltip>
      <Tooltip text="Fit the whole graph in view">
        <ControlButton onClick={() => void fitView(fit)} aria-label="Fit view">
          <Icon d={FIT} />
        </ControlButton>
      </Tooltip>
    </Controls>
  );
}
