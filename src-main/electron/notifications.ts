/** Which state changes deserve a desktop notification: a crash, a crash-loop, a service turning unhealthy. */
import type { ServiceState, ServiceStatus } from '@shared/contract/service-state';

export interface Note {
  readonly title: string;
  readonly body: string;
}

const NOTIFY: Partial<Record<ServiceState, string>> = { failed: 'crashed', 'crash-loop': 'is in a crash loop', unhealthy: 'turned unhealthy' };

/** A note when a service enters one of those states (not again while it stays there). */
export function noteFor(before: ServiceState | undefined, status: ServiceStatus): Note | undefined {
  const what = NOTIFY[status.state];
  if (!what || before === status.state) return undefined;
  return { title: `${status.name} ${what}`, body: status.reason };
}
