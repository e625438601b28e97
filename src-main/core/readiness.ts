/**
 * Per service: would a start now go ahead (`would start`, possibly after its dependencies, saying
 * what it would do first, such as pull an image), is it already serving (`ready`), or would it be
 * refused (`blocked`, with every reason at once) — and the fixes a face can offer: start a dependency
 * that is stopped, stop the registry service of ours that holds a port it needs, or (once the person
 * confirms) stop the outside process of the owner's own user that holds it (port-holder-stop.ts).
 */
import type { Readiness, Remedy } from '@shared/contract/health';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { SERVING, satisfies } from '@shared/contract/state-meaning';
import { conditionOf, type ServiceDefinition } from '@shared/model';
import { outsideHolderRemedy } from './preflight/port-holder-stop';
import { portHolderOf, portTakenOf } from './preflight/preflight';

export interface ReadinessInput {
  readonly services: readonly ServiceDefinition[];
  statusOf(name: string): ServiceStatus | undefined;
  /** What would refuse a start of it now: with the values given (`env`), else with those it has. */
  problems(service: ServiceDefinition): Promise<string[]>;
  /** What a start would do first, said beside "would start" (an image to pull); none when absent. */
  prepares?(service: ServiceDefinition): Promise<string[]>;
}

export function readiness({ services, statusOf, problems, prepares }: ReadinessInput): Promise<Readiness[]> {
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
      const remedies = [...startsFor(service, statusOf), ...stopsFor(refused, services, statusOf), ...outsideStopsFor(refused)];
      const fixes = remedies.length > 0 ? { remedies } : {};
      if (refused.length > 0) return { name: service.name, verdict: 'blocked', reasons: [...refused, ...waiting], ...fixes };
      const first = (await prepares?.(service)) ?? [];
      return { name: service.name, verdict: 'would start', reasons: [...first, ...waiting], ...fixes };
    }),
  );
}

/** Its dependencies that are stopped (or failed): starting one brings up what that one needs too. */
function startsFor(service: ServiceDefinition, statusOf: ReadinessInput['statusOf']): Remedy[] {
  return service.dependencies
    .filter((d) => {
      const state = statusOf(d)?.state;
      return state === 'stopped' || state === 'failed';
    })
    .map((d) => ({ action: 'start', service: d }));
}

/** Our running registry services that preflight names as holding a port it needs. */
function stopsFor(refused: readonly string[], services: ReadinessInput['services'], statusOf: ReadinessInput['statusOf']): Remedy[] {
  const holders = new Set(refused.map(portHolderOf).filter((name) => name !== undefined));
  return services.filter((other) => holders.has(other.name) && isRunning(statusOf(other.name))).map((other) => ({ action: 'stop', service: other.name }));
}

/** Outside processes of the owner's own user that preflight names as holding a port it needs (stopped only once a person confirms). */
function outsideStopsFor(refused: readonly string[]): Remedy[] {
  return refused.flatMap((problem) => {
    const taken = portTakenOf(problem);
    const remedy = taken && outsideHolderRemedy(taken.port, taken.protocol, taken.pid);
    return remedy ? [remedy] : [];
  });
}
