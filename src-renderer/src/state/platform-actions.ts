/**
 * Why the header's Start platform / Stop platform would do nothing now, in words (undefined: it
 * would do something). Stop platform acts on every service that allows a stop (something of ours
 * runs, starts, or waits for a retry); Start platform on the auto-start services, so it is idle
 * once each of them serves or cannot be started from here. Unit-tested without a browser.
 */
import { actionsOf } from '@shared/contract/service-actions';
import type { GraphService } from '@shared/contract/registry';
import type { ServiceStatus } from '@shared/contract/service-state';
import { SERVING } from '@shared/contract/state-meaning';

export function whyNoPlatformStop(statuses: readonly ServiceStatus[]): string | undefined {
  return statuses.some((s) => actionsOf(s).includes('stop')) ? undefined : 'Nothing is running: there is nothing to stop.';
}

export function whyNoPlatformStart(
  services: readonly Pick<GraphService, 'name' | 'autoStart'>[],
  statuses: ReadonlyMap<string, ServiceStatus>,
): string | undefined {
  const auto = services.filter((s) => s.autoStart);
  if (auto.length === 0) return 'No service has auto_start = true: start services by name instead.';
  const waiting = auto.filter((s) => {
    const status = statuses.get(s.name);
    return !status || (!SERVING.has(status.state) && actionsOf(status).includes('start'));
  });
  return waiting.length === 0 ? 'Every auto-start service already serves.' : undefined;
}
