/** What changed between two registries, by name and by configuration hash. */
import { isDeepStrictEqual } from 'node:util';
import type { Registry } from '@shared/model';
import { configHash } from '../config-hash';

export interface RegistryDiff {
  readonly added: string[];
  readonly removed: string[];
  /** In both, with a different configuration hash: their running instances are out of date. */
  readonly changed: string[];
  /** In both with the same hash but another definition (dependencies, description, on_dependency_failure…): changed in place. */
  readonly edited: string[];
}

export function registryDiff(before: Registry, after: Registry): RegistryDiff {
  const old = new Map(before.services.map((s) => [s.name, s]));
  const next = new Map(after.services.map((s) => [s.name, s]));
  const both = [...next.keys()].filter((name) => old.has(name));
  const changed = both.filter((name) => configHash(old.get(name)!) !== configHash(next.get(name)!));
  return {
    added: [...next.keys()].filter((name) => !old.has(name)),
    removed: [...old.keys()].filter((name) => !next.has(name)),
    changed,
    edited: both.filter((name) => !changed.includes(name) && !isDeepStrictEqual(old.get(name), next.get(name))),
  };
}
