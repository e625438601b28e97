/** The contract client and react-query, given to every view; the registry graph kept current. */
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { RegistryGraph } from '@shared/contract/registry';
import type { ContractClient } from './contract-client';

const ClientContext = createContext<ContractClient | undefined>(undefined);

export function ClientProvider({ client, children }: { client: ContractClient; children: ReactNode }) {
  const queries = useRef(new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } })).current;
  return (
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queries}>
        <RegistryWatch client={client} />
        {children}
      </QueryClientProvider>
    </ClientContext.Provider>
  );
}

export function useClient(): ContractClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

/** The registry changed on disk (or by an edit): the graph, and the drift from what runs (use-update-plan.ts), are fetched again. */
function RegistryWatch({ client }: { client: ContractClient }) {
  const queries = useQueryClient();
  useEffect(
    () =>
      client.onRegistryChanged(() => {
        void queries.invalidateQueries({ queryKey: ['graph'] });
        void queries.invalidateQueries({ queryKey: ['updatePlan'] });
      }),
    [client, queries],
  );
  return null;
}

export interface RegistryView {
  /** The last valid graph: a file that became invalid keeps showing it. */
  readonly services: NonNullable<RegistryGraph['services']>;
  readonly file: string;
  /** The file's issues now (errors mean `services` is the last good graph, not the file's). */
  readonly issues: RegistryGraph['issues'];
  /** The override files applied (as shown), and what they set in `services` (override-view.ts). */
  readonly overrides: readonly string[];
  readonly overridden: NonNullable<RegistryGraph['overridden']>;
  readonly loading: boolean;
}

/** Per query client (one per app): every view shares the last valid graph, even one mounted while the file is invalid. */
const lastGood = new WeakMap<QueryClient, Pick<RegistryView, 'services' | 'overridden'>>();
const NONE: never[] = [];

export function useRegistry(): RegistryView {
  const client = useClient();
  const queries = useQueryClient();
  const query = useQuery({ queryKey: ['graph'], queryFn: () => client.call('graph') });
  // What the overrides set goes with the services it describes: the last good graph's.
  if (query.data?.services) lastGood.set(queries, { services: query.data.services, overridden: query.data.overridden ?? NONE });
  const good = lastGood.get(queries);
  return {
    services: good?.services ?? NONE,
    overridden: good?.overridden ?? NONE,
    overrides: query.data?.overrides ?? NONE,
    file: query.data?.file ?? '',
    issues: query.data?.issues ?? [],
    loading: query.isLoading,
  };
}

/** The person's settings, kept by the engine (one query for every view that shows or applies them). */
export function useSettings() {
  const client = useClient();
  return useQuery({ queryKey: ['settings'], queryFn: () => client.call('settings') });
}

/** Every running service's latest usage samples (the second sparkline), refreshed as the owner samples them (2 s). */
export function useUsageHistories() {
  const client = useClient();
  return useQuery({ queryKey: ['usageHistories'], queryFn: () => client.call('usageHistories', { last: 20 }), refetchInterval: 2_000 }).data;
}

/** Every service's latest health results (sparklines), refreshed every 2 s while a view shows them. */
export function useHealthHistories() {
  const client = useClient();
  return useQuery({ queryKey: ['healthHistories'], queryFn: () => client.call('healthHistories', { last: 20 }), refetchInterval: 2_000 }).data;
}
