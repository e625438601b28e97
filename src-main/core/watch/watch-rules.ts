/**
 * A service's `watch` patterns as rules over absolute paths: a relative pattern is matched against
 * the path relative to the registry file's folder (so `../shared/**` works as written), an absolute
 * one against the path itself. The default ignores (node_modules, .git) always apply.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_IGNORES, type WatchConfig } from '@shared/model';
import { compileGlob, type Glob } from '@shared/model/glob';
import type { TreeRules } from './folder-tree';

interface Rule {
  readonly glob: Glob;
  readonly absolute: boolean;
}

export interface WatchRules extends TreeRules {
  /** The folders watching starts from: each pattern's static base, those inside another left out. */
  readonly roots: readonly string[];
  /** The pattern that reaches below `dir`, to name it. */
  patternReaching(dir: string): string | undefined;
  /** How a path is shown: relative to the registry's folder when inside it. */
  shown(path: string): string;
}

export function watchRules(watch: Pick<WatchConfig, 'paths' | 'ignore'>, registryDir: string): WatchRules {
  const rule = (pattern: string): Rule => ({ glob: compileGlob(pattern), absolute: isAbsolute(pattern) });
  const include = watch.paths.map(rule);
  const ignore = [...DEFAULT_IGNORES, ...watch.ignore].map(rule);
  const seen = (r: Rule, path: string) => (r.absolute ? path : relative(registryDir, path).split('\\').join('/'));
  const bases = [...new Set(include.flatMap((r) => r.glob.bases.map((base) => resolve(registryDir, base))))].sort();
  const roots = bases.filter((base) => !bases.some((other) => other !== base && isInside(base, other)));
  return {
    roots,
    matches: (path) => include.some((r) => r.glob.matches(seen(r, path))),
    ignored: (path) => ignore.some((r) => r.glob.matches(seen(r, path))),
    reachesBelow: (dir) => include.some((r) => r.glob.couldMatchBelow(seen(r, dir))),
    patternReaching: (dir) => include.find((r) => r.glob.couldMatchBelow(seen(r, dir)))?.glob.pattern,
    shown: (path) => {
      const inside = relative(registryDir, path);
      return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
    },
  };
}

const isInside = (path: string, folder: string) => {
  const inside = relative(folder, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
};
