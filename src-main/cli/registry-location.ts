/**
 * Where a command's registry is, found as discover-registry.ts finds it but without loading the
 * settings' schema (zod) when the settings name no registry — the common case, and the one a
 * command served by its owner should not pay for. When they name one, the settings are read
 * through their schema, so a damaged settings file is judged exactly as everywhere else.
 */
import { readSettingsJson } from '../core/settings-file';
import { discoverRegistryWith, type DiscoveryInput, type RegistryLocation } from '../core/registry/discovery-order';

export async function locateRegistry(input: DiscoveryInput): Promise<RegistryLocation> {
  let named = false;
  const found = discoverRegistryWith(input, (home) => ((named = settingsNameARegistry(home)), null));
  return named ? (await import('../core/registry/discover-registry')).discoverRegistry(input) : found;
}

/** Whether settings.json has a registryPath other than null: when it has none, the schema's reading is null too. */
function settingsNameARegistry(home: string): boolean {
  try {
    const registryPath = readSettingsJson(home)?.['registryPath'];
    return registryPath !== undefined && registryPath !== null;
  } catch {
    return false;
  }
}
