/**
 * Per service: would a start now go ahead (`would start`, possibly after its dependencies), is it
 * already serving (`ready`), or would it be refused (`blocked`, with every reason at once).
 */
import type { Readiness } from '@shared/contract/health';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { SERVING, satisfies } from '@shared/contract/state-meaning';
import { conditionOf, type ServiceDefinition } from '@shared/model';

export interface ReadinessInput {
  readonly services: readonly ServiceDefinition[];
  statusOf(name: string): ServiceStatus | undefined;
  /** What would refuse a start of it now: with the values given (`env`), else with those it has. */
  problems(service: ServiceDefinition): Promise<string[]>;
}

export function readiness({ services, statusOf, problems }: ReadinessInput): Promise<Readiness[]> {
  return Promise.all(
    services.map(async (service): Promise<Readiness> => {
      const status = statusOf(service.name);
      if (status && SERVING.has(status.state)) return { name: service.name, verdict: 'ready', reasons: [status.reason] };
      if (status && isRunning(status)) return { name: service.name, verdict: 'blocked', reasons: [`running but ${status.state}: ${status.reason}`] };
      const waiting = service.dependencies
        .filter((d) => !satisfies(conditionOf(service, d), statusOf(d)?.state))
        // The default condition (healthy) goes unsaid, as in the registry.
        .map((d) => {
          const condition = conditionOf(service, d);
          return `needs ${d}${condition === 'healthy' ? '' : ` ${condition}`} (${statusOf(d)?.state ?? 'unknown'}) first`;
        });
      const refused = await problems(service);
      if (refused.length > 0) return { name: service.name, verdict: 'blocked', reasons: [...refused, ...waiting] };
      return { name: service.name, verdict: 'would start', reasons: waiting };
    }),
  );
}
