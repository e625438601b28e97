/**
 * Which environment variables a registry's env references (`{ env = "NAME" }`) read: in a
 * deployment's `env` table, a health check's headers, a remote token. A face sends the values of
 * these, from its own environment, with each start; nothing else of its environment leaves it.
 */
import type { Registry, ServiceConfig } from '@shared/model';

type Env = Readonly<Record<string, string | undefined>>;

/** The names a service's env references read, each once. */
export function envReferenceNames(service: Pick<ServiceConfig, 'deployment' | 'health_check'>): string[] {
  const names = new Set<string>();
  const collect = (value: unknown): void => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const table = value as Record<string, unknown>;
    const keys = Object.keys(table);
    if (keys.length === 1 && keys[0] === 'env' && typeof table['env'] === 'string') names.add(table['env']);
    else for (const key of keys) collect(table[key]);
  };
  collect(service.deployment);
  collect(service.health_check);
  return [...names];
}

/** The values in `env` of every variable the registry references (those unset are left out). */
export function referencedEnv(registry: Registry, env: Env): Record<string, string> {
  const values: Record<string, string> = {};
  for (const service of registry.services) {
    for (const name of envReferenceNames(service)) {
      const value = Object.hasOwn(env, name) ? env[name] : undefined;
      if (typeof value === 'string') values[name] = value;
    }
  }
  return values;
}
