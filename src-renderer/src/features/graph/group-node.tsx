/** A group's header on the graph (group-layout.ts); folded, the edges of its services end on it. */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ServiceGroup } from '../../state/service-groups';
import { useUi } from '../../state/ui-store';
import { GroupHeader } from '../services/group-header';

export type GroupNodeData = { group: ServiceGroup; actsOn: readonly string[]; width: number };
export type GroupFlowNode = Node<GroupNodeData, 'group-header'>;

function GroupNodeView({ data }: NodeProps<GroupFlowNode>) {
  const folded = useUi((s) => s.collapsed.has(data.group.label));
  return (
    <div className={`graph-group${folded ? ' folded' : ''}`} style={{ width: data.width }}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <GroupHeader group={data.group} actsOn={data.actsOn} />
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
