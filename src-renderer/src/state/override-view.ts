/**
 * What override files (services.local.toml, --override) set, as the faces say it: per service the
 * files and keys an override set, and which services an override disabled. Pure, from the graph's
 * `overridden` list (key '' = the override defined the whole service; `disabled` = it took it out).
 */
import type { RegistryGraph } from '@shared/contract/registry';

type Overridden = NonNullable<RegistryGraph['overridden']>;

/** One override file's part in a service: the keys it set, or that it defined the whole service. */
export interface ServiceOverride {
  readonly file: string;
  readonly keys: readonly string[];
  readonly defined: boolean;
}

/** What the override files set in `service`, a file at a time, in the order they apply (empty: none). */
export function overridesOf(overridden: Overridden, service: string): ServiceOverride[] {
  const byFile = new Map<string, string[]>();
  for (const value of overridden) {
    if (value.service !== service || value.disabled) continue;
    byFile.set(value.file, [...(byFile.get(value.file) ?? []), value.key]);
  }
  return [...byFile].map(([file, keys]) => ({ file, keys: keys.filter((key) => key !== ''), defined: keys.includes('') }));
}

/** `services.local.toml: ports, deployment.binary.args` — one line per file. */
export function overrideText(overrides: readonly ServiceOverride[], name: (file: string) => string = fileName): string {
  return overrides.map((o) => `${name(o.file)}: ${[...(o.defined ? ['defined there'] : []), ...o.keys].join(', ')}`).join('\n');
}

/** The services each override file disabled (they are absent from the graph), by file. */
export function disabledByFile(overridden: Overridden): { file: string; services: string[] }[] {
  const byFile = new Map<string, string[]>();
  for (const value of overridden) if (value.disabled) byFile.set(value.file, [...(byFile.get(value.file) ?? []), value.service]);
  return [...byFile].map(([file, services]) => ({ file, services }));
}

/** The last part of a path as shown (`~/x/services.local.toml` → `services.local.toml`). */
export function fileName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}
