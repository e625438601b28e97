/**
 * Limits this machine cannot enforce, as located registry warnings (`services validate`, every load):
 * a `resources` key of a binary service is never silently ignored.
 */
import { warning, type RegistryIssue, type ServiceDefinition } from '@shared/model';
import { unappliedResources } from '../process/cgroup-resources';

export function resourceIssues(services: readonly ServiceDefinition[]): RegistryIssue[] {
  return services.flatMap((service) =>
    unappliedResources(service).map(({ key, reason }) =>
      warning(['services', service.name, 'resources', key], `cannot be enforced on this machine: ${reason}; the service runs without this limit`),
    ),
  );
}

/** The same, as the words of a start's preflight. */
export function resourceWarnings(service: ServiceDefinition): string[] {
  return unappliedResources(service).map(
    ({ key, reason }) => `services.${service.name}.resources.${key} cannot be enforced on this machine: ${reason}; ${service.name} runs without this limit`,
  );
}
