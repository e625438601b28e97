/**
 * Which step of discovery found the registry an engine runs (src-main/core/registry/discovery-order.ts):
 * `--config`, PROVISIONING_CONFIG, the saved setting, the user's file, or the embedded demo. Plain
 * data, without zod: shell completion reads it on every Tab.
 */
export const REGISTRY_SOURCES = ['flag', 'env', 'settings', 'user', 'embedded'] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];
