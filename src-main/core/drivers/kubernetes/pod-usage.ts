/**
 * A deployment's CPU and memory from the cluster's resource metrics API (`metrics.k8s.io`, served by
 * metrics-server), for the usage sampler: one list of the workload's pods per sampling interval, at
 * most one in flight, summed over pods and containers. The API gives a rate (cores averaged over its
 * window), not a counter, so a reading carries its CPU % as is. Many clusters (kind, a bare API
 * server) serve no such API: that is said once, in the service's log, and no usage is shown — asking
 * again each interval costs one small request, and a metrics-server installed later is picked up.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { CounterSource, UsageCounters } from '../../usage/read-usage';

/** One pod of `PodMetricsList`: what metrics-server answers, each container's usage as quantities. */
interface PodMetrics {
  readonly timestamp?: string;
  readonly containers?: readonly { readonly usage?: { readonly cpu?: unknown; readonly memory?: unknown } }[];
}

const SUFFIXES: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity ("250m", "1234567n", "51200Ki", "2"), or undefined for anything else. */
export function parseQuantity(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const match = /^(\d+(?:\.\d+)?)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text);
  return match ? Number(match[1]) * SUFFIXES[match[2] ?? '']! : undefined;
}

/** The sum over pods and containers, at the newest pod's reading time; undefined when no pod was measured. */
export function countersOfPods(items: unknown): UsageCounters | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  let cores = 0;
  let memoryBytes = 0;
  let at = 0;
  for (const pod of items as PodMetrics[]) {
    for (const container of pod?.containers ?? []) {
      cores += parseQuantity(container?.usage?.cpu) ?? 0;
      memoryBytes += parseQuantity(container?.usage?.memory) ?? 0;
    }
    at = Math.max(at, Date.parse(pod?.timestamp ?? '') || 0);
  }
  return at > 0 ? { cpuUsec: 0, cpuPercent: Math.round(cores * 1_000) / 10, memoryBytes: Math.round(memoryBytes), at } : undefined;
}

export function podCounters(config: KubeConfig, namespace: string, labelSelector: string, say: (text: string) => void): CounterSource {
  let latest: UsageCounters | undefined;
  let asking = false;
  let closed = false;
  let toldAbsent = false;
  const ask = async () => {
    const { CustomObjectsApi } = await import('@kubernetes/client-node');
    const list = (await config
      .makeApiClient(CustomObjectsApi)
      .listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace, plural: 'pods', labelSelector })) as { items?: unknown };
    return countersOfPods(list?.items);
  };
  return {
    read: () => {
      if (!asking && !closed) {
        asking = true;
        ask()
          .then(
            (counters) => (latest = closed ? undefined : counters),
            (error: { code?: number }) => {
              latest = undefined;
              // 404: the API is not served; anything else (the server away) is the watch's to report.
              if (error?.code === 404 && !toldAbsent) {
                toldAbsent = true;
                say('usage: this cluster serves no pod metrics (metrics.k8s.io); install metrics-server to see CPU and memory');
              }
            },
          )
          .finally(() => (asking = false));
      }
      return latest;
    },
    close: () => {
      closed = true;
      latest = undefined;
    },
  };
}
