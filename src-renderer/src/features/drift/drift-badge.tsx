/**
 * Beside a service's name (row, card, graph node): its running instance is out of date with the
 * file (the update would restart it). Not a tab stop of its own — a row and a node are — so it
 * says what it means in its accessible name; the popover is for the mouse.
 */
import { Tooltip } from '../../components/tooltip';
import { useUpdatePlan } from './use-update-plan';

const MEANING = 'runs an older definition than the registry file: Apply changes restarts it';

export function DriftBadge({ service }: { service: string }) {
  const plan = useUpdatePlan();
  if (!plan?.restart.includes(service)) return null;
  return (
    <Tooltip text={`${service} ${MEANING}.`}>
      <span className="drift-badge" role="note" aria-label={`${service} drift: ${MEANING}`} data-testid={`drift-${service}`}>
        drift
      </span>
    </Tooltip>
  );
}
