/**
 * Which environment variables a registry's env references (`{ env = "NAME" }`) read: in a
 * deployment's `env` table, a health check's headers, a remote token. A face sends the values of
 * these, from its own environment, with each start; nothing else of its environment leaves it.
 * A helm chart's `values` table is not searched: it reaches helm as written, so `{ env = … }` there
 * is the chart's data, not a reference.
 */
import type { Registry, ServiceDefinition } from '@shared/model';

type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReference {
  readonly name: string;
  /** Its key path in the registry (`services.web.deployment.binary.env.TOKEN`), for messages. */
  readonly where: string;
}

/** Every env reference of a service, with its key path, in registry order. */
export function envReferences(service: Pick<ServiceDefinition, 'name' | 'deployment' | 'health_check'>): EnvReference[] {
  const references: EnvReference[] = [];
  const literal = `services.${service.name}.deployment.kubernetes.helm.values`;
  const collect = (value: unknown, where: string): void => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || where === literal) return;
    const table = value as Record<string, unknown>;
    const keys = Object.keys(table);
    if (keys.length === 1 && keys[0] === 'env' && typeof table['env'] === 'string') references.push({ name: table['env'], where });
    else for (const key of keys) collect(table[key], `${where}.${key}`);
  };
  collect(service.deployment, `services.${service.name}.deployment`);
  collect(service.health_check, `services.${service.name}.health_check`);
  return references;
}

/** The names a service's env references read, each once. */
export function envReferenceNames(service: Pick<ServiceDefinition, 'name' | 'deployment' | 'health_check'>): string[] {
  return [...new Set(envReferences(service).map((reference) => reference.name))];
}

/** The value `env` has for `name`, if it sets one of its own (never an inherited property). */
export function envValueOf(env: Env, name: string): string | undefined {
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The values in `env` of every variable the registry references (those unset are left out). */
export function referencedEnv(registry: Registry, env: Env): Record<string, string> {
  const values: Record<string, string> = {};
  for (const service of registry.services) {
    for (const name of envReferenceNames(service)) {
      const value = envValueOf(env, name);
      if (value !== undefined) values[name] = value;
    }
  }
  return values;
}
