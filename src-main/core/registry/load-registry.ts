/** Reads and validates a registry file. Never starts or changes anything. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { formatIssue, parseRegistry, type LocatedIssue, type Registry } from '@shared/model';
import { SOURCE_LABELS, type RegistryLocation } from './discover-registry';

export interface LoadedRegistry {
  readonly location: RegistryLocation;
  /** The path as shown to people: relative to the working directory when inside it. */
  readonly displayPath: string;
  readonly registry: Registry | undefined;
  readonly issues: readonly LocatedIssue[];
}

export async function loadRegistry(location: RegistryLocation, cwd: string): Promise<LoadedRegistry> {
  const displayPath = displayPathOf(location.path, cwd);
  const base = { location, displayPath };
  let text: string;
  try {
    text = await readFile(location.path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a registry file' : `cannot read: ${String(cause)}`;
    // Say who chose the file, so a stale choice can be found and changed.
    const message = location.source === 'embedded' || location.source === 'user' ? problem : `${problem} (chosen ${SOURCE_LABELS[location.source]})`;
    return { ...base, registry: undefined, issues: [{ severity: 'error', path: [], message, file: displayPath, line: 1, column: 1 }] };
  }
  return { ...base, ...parseRegistry(text, displayPath) };
}

export class RegistryError extends Error {
  /** `what` says what is not valid: by default the file itself. */
  constructor(loaded: Pick<LoadedRegistry, 'displayPath' | 'issues'>, what = `${loaded.displayPath} is not valid`) {
    super(`${what}; nothing changed:\n${loaded.issues.filter((i) => i.severity === 'error').map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.name = 'RegistryError';
  }
}

export function displayPathOf(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
