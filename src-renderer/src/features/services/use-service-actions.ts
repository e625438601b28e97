/**
 * Start, stop and restart as the views offer them: a start brings up what the service needs first;
 * a stop the engine refuses because running services need it asks first, listing the dependents
 * the engine named (never a blast radius worked out here from the file); failures become notices.
 */
import { useMutation } from '@tanstack/react-query';
import { dependentsRunningOf } from '@shared/contract/errors';
import type { PlatformReport } from '@shared/contract/platform';
import { useClient } from '../../api/client-context';
import { useUi } from '../../state/ui-store';

export type Action = 'start' | 'stop' | 'restart' | 'stop-cascade';

/** The first failure of a platform operation, in words. */
function failureOf(report: PlatformReport): string | undefined {
  const failed = report.steps.filter((s) => s.outcome === 'failed' || s.outcome === 'blocked');
  return failed.length > 0 ? failed.map((s) => `${s.name}: ${s.reason}`).join('\n') : undefined;
}

export function useServiceAction(name: string) {
  const client = useClient();
  const notify = useUi((s) => s.notify);
  const askStop = useUi((s) => s.askStop);
  const mutation = useMutation({
    mutationFn: async (action: Action) => {
      if (action === 'start') return failureOf(await client.call('platformStart', { names: [name] }));
      if (action === 'restart') return void (await client.call('restart', { name }));
      if (action === 'stop-cascade') return failureOf(await client.call('platformStop', { names: [name] }));
      try {
        await client.call('stop', { name, force: false });
      } catch (error) {
        const refused = dependentsRunningOf(error);
        if (!refused) throw error;
        askStop({ name, dependents: refused.dependents });
      }
      return undefined;
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
