/** Which registry file to use: `--config` > `PROVISIONING_CONFIG` > the settings' choice > the user's registry > the embedded demo. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { embeddedRegistryPath, provisioningHome, userRegistryPath } from '../paths';
import { registryPathSetting } from '../settings-store';

export type RegistrySource = 'flag' | 'env' | 'settings' | 'user' | 'embedded';

export interface RegistryLocation {
  readonly path: string;
  readonly source: RegistrySource;
}

export interface DiscoveryInput {
  readonly flag?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export const SOURCE_LABELS: Record<RegistrySource, string> = {
  flag: 'from --config',
  env: 'from PROVISIONING_CONFIG',
  settings: 'in the settings: registryPath in settings.json of the provisioning home',
  user: 'user registry',
  embedded: 'embedded demo registry',
};

/** An explicit choice (flag, env or settings) is used even when missing, so the error names it instead of silently falling back. */
export function discoverRegistry({ flag, env, cwd }: DiscoveryInput): RegistryLocation {
  if (flag) return { path: resolve(cwd, flag), source: 'flag' };
  const fromEnv = env['PROVISIONING_CONFIG'];
  if (fromEnv) return { path: resolve(cwd, fromEnv), source: 'env' };
  const home = provisioningHome(env);
  const chosen = registryPathSetting(home);
  if (chosen) return { path: chosen, source: 'settings' };
  const user = userRegistryPath(home);
  if (existsSync(user)) return { path: user, source: 'user' };
  return { path: embeddedRegistryPath(), source: 'embedded' };
}
