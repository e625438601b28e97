/** An edge drawn along its route (edge-routes.ts) instead of a straight bezier that may cross nodes. */
import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { labelPoint, pathOf, segmentsOf, type Route } from './edge-routes';

export type RoutedEdgeData = { route: Route };
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

function RoutedEdgeView({ id, sourceX, sourceY, targetX, targetY, data, label, markerEnd, style, interactionWidth }: EdgeProps<RoutedFlowEdge>) {
  const route = data?.route ?? { style: 'curved', points: [] };
  const segments = segmentsOf(route, { x: sourceX, y: sourceY }, { x: targetX, y: targetY });
  const at = labelPoint(segments);
  return (
    <BaseEdge
      id={id}
      path={pathOf(route, segments)}
      label={label}
      labelX={at.x}
      labelY={at.y}
      markerEnd={markerEnd}
      style={style}
      {...(interactionWidth === undefined ? {} : { interactionWidth })}
    />
  );
}

export const RoutedEdge = memo(RoutedEdgeView);
