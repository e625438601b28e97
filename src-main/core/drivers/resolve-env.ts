/**
 * A registry `env` table made concrete: placeholders expanded, `{ env = "NAME" }` read from what the
 * client that started the service gave (the context's `given`, see GivenEnvironments) — never the
 * manager's own value.
 */
import { expandPlaceholders, type Deployment } from '@shared/model';
import { StartError, type RegistryContext } from './driver';
import { envValueOf } from './env-references';

type EnvTable = NonNullable<Deployment['binary']>['env'];

/** Why a reference has no value, and what to do: `where` is its key path. */
export function unsetReference(name: string, where: string): string {
  return (
    `environment variable ${name} is not set (${where}); env references are read from the environment of the command ` +
    `that starts the service and kept only while this manager runs: start it again from a shell where ${name} is set`
  );
}

/** `where` is the table's key path, for the error when a reference is unset. */
export function resolveEnv(table: EnvTable, where: string, context: RegistryContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') {
      env[key] = expandPlaceholders(value, { home: context.home, registry_dir: context.registryDir });
      continue;
    }
    const given = envValueOf(context.given, value.env);
    if (given === undefined) throw new StartError(unsetReference(value.env, `${where}.${key}`));
    env[key] = given;
  }
  return env;
}
