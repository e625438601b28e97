import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '@shared/model';

/**
 * Identifies what a running instance was made from — how it is deployed, checked, started and
 * limited (its restart policy included): a changed hash means it is out of date. Descriptions,
 * order, dependencies, on_dependency_failure, auto_start and required_for do not count: a registry
 * update changes those in place, under the running instance.
 */
export function configHash(service: ServiceDefinition): string {
  const { deployment, health_check, startup, resources } = service;
  return createHash('sha256').update(JSON.stringify({ deployment, health_check, startup, resources })).digest('hex').slice(0, 16);
}
