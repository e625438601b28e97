import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '@shared/model';
import { envReferenceNames, envValueOf } from './drivers/env-references';

/**
 * Identifies what a running instance was made from — how it is deployed, checked, started and
 * limited (its restart policy included): a changed hash means it is out of date. Descriptions,
 * order, dependencies, on_dependency_failure, auto_start and required_for do not count: a registry
 * update changes those in place, under the running instance. The env file values it uses count (a
 * changed `.env` is a new configuration): those in its environment are in `deployment` already, and
 * those its env references read are added — hashed with the rest, never kept as they are.
 */
export function configHash(service: ServiceDefinition): string {
  const { deployment, health_check, startup, resources, fromEnvFiles } = service;
  const read = fromEnvFiles && envReferenceNames(service).map((name) => [name, envValueOf(fromEnvFiles.values, name)]);
  return createHash('sha256')
    .update(JSON.stringify({ deployment, health_check, startup, resources, ...(read?.length ? { read } : {}) }))
    .digest('hex')
    .slice(0, 16);
}
