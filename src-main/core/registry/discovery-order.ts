/**
 * The order registry discovery follows, apart from how the settings are read: the settings reader
 * loads their schema (zod), which shell completion must not pay for on every Tab, so it is passed in.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RegistrySource } from '@shared/contract/registry-source';
import { embeddedRegistryPath, provisioningHome, userRegistryPath } from '../paths';

export type { RegistrySource };

export interface RegistryLocation {
  readonly path: string;
  readonly source: RegistrySource;
  /** `--override` files (absolute), merged over it in order; none: `services.local.toml` beside it, if there. */
  readonly overrides?: readonly string[];
}

export interface DiscoveryInput {
  readonly flag?: string | undefined;
  /** `--override` files, as given. */
  readonly overrides?: readonly string[] | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** `--config` > `PROVISIONING_CONFIG` > the settings' choice > the user's registry > the embedded demo. */
export function discoverRegistryWith(input: DiscoveryInput, settingsChoice: (home: string) => string | null): RegistryLocation {
  const found = discovered(input, settingsChoice);
  const overrides = (input.overrides ?? []).map((path) => resolve(input.cwd, path));
  return overrides.length > 0 ? { ...found, overrides } : found;
}

function discovered({ flag, env, cwd }: DiscoveryInput, settingsChoice: (home: string) => string | null): RegistryLocation {
  if (flag) return { path: resolve(cwd, flag), source: 'flag' };
  const fromEnv = env['PROVISIONING_CONFIG'];
  if (fromEnv) return { path: resolve(cwd, fromEnv), source: 'env' };
  const home = provisioningHome(env);
  const chosen = settingsChoice(home);
  if (chosen) return { path: chosen, source: 'settings' };
  const user = userRegistryPath(home);
  if (existsSync(user)) return { path: user, source: 'user' };
  return { path: embeddedRegistryPath(), source: 'embedded' };
}
