/** Which registry file to use: `--config` > `PROVISIONING_CONFIG` > the settings' choice > the user's registry > the embedded demo. */
import { registryPathSetting } from '../settings-store';
import { discoverRegistryWith, type DiscoveryInput, type RegistryLocation, type RegistrySource } from './discovery-order';

export type { DiscoveryInput, RegistryLocation, RegistrySource };
export { SOURCE_LABELS } from './registry-naming';

/** An explicit choice (flag, env or settings) is used even when missing, so the error names it instead of silently falling back. */
export const discoverRegistry = (input: DiscoveryInput): RegistryLocation => discoverRegistryWith(input, registryPathSetting);
