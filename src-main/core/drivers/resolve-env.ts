/** A registry `env` table made concrete: placeholders expanded, `{ env = "NAME" }` read from the manager. */
import { expandPlaceholders, type Deployment } from '@shared/model';
import { StartError, type RegistryContext } from './driver';

type EnvTable = NonNullable<Deployment['binary']>['env'];

/** `where` is the table's key path, for the error when a reference is unset. */
export function resolveEnv(table: EnvTable, where: string, context: RegistryContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') {
      env[key] = expandPlaceholders(value, { home: context.home, registry_dir: context.registryDir });
      continue;
    }
    const fromManager = context.env[value.env];
    if (fromManager === undefined) throw new StartError(`environment variable ${value.env} is not set (${where}.${key})`);
    env[key] = fromManager;
  }
  return env;
}
