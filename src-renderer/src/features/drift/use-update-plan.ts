/**
 * What `platform update` would do with the registry file as it is now (the owner's `updatePlan`):
 * the drift between the file and what runs. Asked again when the file changes (the registry push
 * invalidates it, client-context.tsx) and when what runs changes, since only running services
 * would be stopped or restarted.
 */
import { useQuery } from '@tanstack/react-query';
import type { UpdatePlan } from '@shared/contract/platform';
import { isRunning } from '@shared/contract/service-state';
import { useClient } from '../../api/client-context';
import { useServices } from '../../state/services-store';

export const UPDATE_PLAN_KEY = 'updatePlan';

export function useUpdatePlan(): UpdatePlan | undefined {
  const client = useClient();
  // The engine's rule for "running": a process or workload, or a start or stop under way.
  const running = useServices((s) =>
    [...(s.mirror?.services.values() ?? [])]
      .filter((status) => isRunning(status) || status.state === 'starting' || status.state === 'stopping')
      .map((status) => status.name)
      .sort()
      .join('\n'),
  );
  return useQuery({ queryKey: [UPDATE_PLAN_KEY, running], queryFn: () => client.call('updatePlan', {}) }).data;
}

/** Whether the plan has anything to apply (a changed service that is not running is only redefined, still a change). */
export const hasDrift = (plan: UpdatePlan | undefined): plan is UpdatePlan =>
  plan !== undefined && plan.added.length + plan.removed.length + plan.changed.length > 0;
