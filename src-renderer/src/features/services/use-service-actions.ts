/**
 * Start, stop and restart as the views offer them: a start brings up what the service needs first;
 * a stop the engine refuses because running services need it asks first, listing the dependents
 * the engine named (never a blast radius worked out here from the file); failures become notices.
 * The table's bulk actions go through the same one-service action (serviceAction).
 */
import { useMutation } from '@tanstack/react-query';
import { dependentsRunningOf } from '@shared/contract/errors';
import type { PlatformReport } from '@shared/contract/platform';
import type { GraphService } from '@shared/contract/registry';
import { buildGraph, topologicalOrder } from '@shared/graph';
import { useClient } from '../../api/client-context';
import { rootCauses } from '../../state/root-causes';
import type { ContractClient } from '../../api/contract-client';
import { useUi, type StopRequest } from '../../state/ui-store';

export type Action = 'start' | 'stop' | 'restart' | 'rebuild' | 'stop-cascade';

/** The failures of a platform operation, in words: one line per root cause (root-causes.ts). */
const failureOf = (report: PlatformReport): string | undefined => rootCauses(report);

/**
 * One action on one service, as every view does it; the failure in words, if any. A plain stop the
 * engine refuses because running services need it is not a failure: the refusal is returned for
 * the person to confirm (StopConfirmation).
 */
export async function serviceAction(client: ContractClient, name: string, action: Action): Promise<{ failure?: string; refused?: StopRequest }> {
  if (action === 'start') return { failure: failureOf(await client.call('platformStart', { names: [name] })) };
  if (action === 'restart') {
    await client.call('restart', { name });
    return {};
  }
  // A failed build is the call's error (a notice); the running container is left as it was.
  if (action === 'rebuild') {
    await client.call('rebuild', { name });
    return {};
  }
  if (action === 'stop-cascade') return { failure: failureOf(await client.call('platformStop', { names: [name] })) };
  try {
    await client.call('stop', { name, force: false });
    return {};
  } catch (error) {
    const refused = dependentsRunningOf(error);
    if (!refused) throw error;
    return { refused: { name, dependents: refused.dependents } };
  }
}

export function useServiceAction(name: string) {
  const client = useClient();
  const notify = useUi((s) => s.notify);
  const askStop = useUi((s) => s.askStop);
  const mutation = useMutation({
    mutationFn: async (action: Action) => {
      const { failure, refused } = await serviceAction(client, name, action);
      if (refused) askStop(refused);
      return failure;
    },
    onSuccess: (failure) => failure && notify('error', failure),
    onError: (error: Error) => notify('error', `${name}: ${error.message}`),
  });
  return { act: (action: Action) => mutation.mutate(action), pending: mutation.isPending ? mutation.variables : undefined };
}

export function usePlatformAction() {
  const client = useClient();
  const notify = useUi((s) => s.notify);
  const mutation = useMutation({
    mutationFn: async (action: 'start' | 'stop') => {
      const report = await client.call(action === 'start' ? 'platformStart' : 'platformStop', { names: [] });
      return {
        failure: failureOf(report),
        took: `${action === 'start' ? 'Started' : 'Stopped'} the platform in ${((report.ended - report.began) / 1000).toFixed(1)} s`,
      };
    },
    onSuccess: ({ failure, took }) => notify(failure ? 'error' : 'info', failure ?? took),
    onError: (error: Error) => notify('error', error.message),
  });
  return { act: (action: 'start' | 'stop') => mutation.mutate(action), pending: mutation.isPending ? mutation.variables : undefined };
}

/** Start group / Stop group: the engine acts on every service carrying the label (and, as always, what they need or what needs them). */
export function useGroupAction(label: string) {
  const client = useClient();
  const notify = useUi((s) => s.notify);
  const mutation = useMutation({
    mutationFn: async (action: 'start' | 'stop') =>
      failureOf(await client.call(action === 'start' ? 'platformStart' : 'platformStop', { names: [], labels: [label] })),
    onSuccess: (failure) => failure && notify('error', failure),
    onError: (error: Error) => notify('error', `${label}: ${error.message}`),
  });
  return { act: (action: 'start' | 'stop') => mutation.mutate(action), pending: mutation.isPending ? mutation.variables : undefined };
}

/**
 * Start, Stop or Restart of the services a table selected, through the same actions one card uses:
 * one start of them all (with what they need); stops one at a time, dependents first, so selected
 * services that need each other stop without a question; a service that running services outside
 * the selection need goes to the stop confirmation (the first such; the others are named in a
 * notice, for a stop of their own).
 */
export function useBulkAction(services: readonly GraphService[]) {
  const client = useClient();
  const notify = useUi((s) => s.notify);
  const askStop = useUi((s) => s.askStop);
  const mutation = useMutation({
    mutationFn: async ({ action, names }: { action: 'start' | 'stop' | 'restart'; names: readonly string[] }) => {
      if (action === 'start') return failureOf(await client.call('platformStart', { names: [...names] }));
      const failures: string[] = [];
      const refused: StopRequest[] = [];
      for (const name of action === 'stop' ? dependentsFirst(services, names) : names) {
        try {
          const result = await serviceAction(client, name, action);
          if (result.failure) failures.push(result.failure);
          if (result.refused) refused.push(result.refused);
        } catch (error) {
          failures.push(`${name}: ${(error as Error).message}`);
        }
      }
      if (refused[0]) askStop(refused[0]);
      if (refused.length > 1)
        failures.push(
          `${refused
            .slice(1)
            .map((r) => r.name)
            .join(', ')}: running services need them; stop each on its own`,
        );
      return failures.length > 0 ? failures.join('\n') : undefined;
    },
    onSuccess: (failure) => failure && notify('error', failure),
    onError: (error: Error) => notify('error', error.message),
  });
  return {
    act: (action: 'start' | 'stop' | 'restart', names: readonly string[]) => mutation.mutate({ action, names }),
    pending: mutation.isPending ? mutation.variables.action : undefined,
  };
}

/** The names, each after every one of them that depends on it (the registry's graph; its order when it has a cycle). */
function dependentsFirst(services: readonly GraphService[], names: readonly string[]): string[] {
  const wanted = new Set(names);
  try {
    const order = topologicalOrder(buildGraph(services))
      .filter((name) => wanted.has(name))
      .reverse();
    return [...order, ...names.filter((name) => !order.includes(name))];
  } catch {
    return [...names];
  }
}
