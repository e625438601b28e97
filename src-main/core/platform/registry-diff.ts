/** What changed between two registries, by name and by configuration hash. */
import type { Registry } from '@shared/model';
import { configHash } from '../engine';

export interface RegistryDiff {
  readonly added: string[];
  readonly removed: string[];
  /** In both, with a different configuration hash: their running instances are out of date. */
  readonly changed: string[];
}

export function registryDiff(before: Registry, after: Registry): RegistryDiff {
  const old = new Map(before.services.map((s) => [s.name, configHash(s)]));
  const next = new Map(after.services.map((s) => [s.name, configHash(s)]));
  return {
    added: [...next.keys()].filter((name) => !old.has(name)),
    removed: [...old.keys()].filter((name) => !next.has(name)),
    changed: [...next].filter(([name, hash]) => old.has(name) && old.get(name) !== hash).map(([name]) => name),
  };
}
