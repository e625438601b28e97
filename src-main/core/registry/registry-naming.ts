/** How a registry's location is told to people: who chose it, and its path as short as the working directory allows. */
import { isAbsolute, relative } from 'node:path';
import type { RegistrySource } from './discovery-order';

export const SOURCE_LABELS: Record<RegistrySource, string> = {
  flag: 'from --config',
  env: 'from PROVISIONING_CONFIG',
  settings: 'in the settings: registryPath in settings.json of the provisioning home',
  user: 'user registry',
  embedded: 'embedded demo registry',
};

/** The path relative to the working directory when inside it. */
export function displayPathOf(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
