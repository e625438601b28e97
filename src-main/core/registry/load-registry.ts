/** Reads and validates a registry file. Never starts or changes anything. */
import { formatIssue, parseRegistry, type IssueCounts, type LocatedIssue, type Registry } from '@shared/model';
import type { RegistryLocation } from './discovery-order';
import { displayPathOf, SOURCE_LABELS } from './registry-naming';
import { readRegistryText, type RegistryText } from './read-registry-text';
import { resourceIssues } from './resource-issues';

export interface LoadedRegistry {
  readonly location: RegistryLocation;
  /** The path as shown to people: relative to the working directory when inside it. */
  readonly displayPath: string;
  readonly registry: Registry | undefined;
  /** The first problems in file order (MAX_REPORTED_ISSUES, then an "and N more" line). */
  readonly issues: readonly LocatedIssue[];
  /** Every problem found, listed or not. */
  readonly found: IssueCounts;
}

export async function loadRegistry(location: RegistryLocation, cwd: string): Promise<LoadedRegistry> {
  const displayPath = displayPathOf(location.path, cwd);
  const base = { location, displayPath };
  let read: RegistryText;
  try {
    read = await readRegistryText(location.path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // ENXIO: a socket, which cannot be opened as a file.
    read = {
      problem:
        code === 'ENOENT'
          ? 'no such file'
          : code === 'ENXIO'
            ? 'is a socket, not a regular file: a registry must be a regular file'
            : `cannot read: ${String(cause)}`,
      line: 1,
      column: 1,
    };
  }
  if ('text' in read) return { ...base, ...parseRegistry(read.text, displayPath, resourceIssues) };
  // Say who chose the file, so a stale choice can be found and changed.
  const message = location.source === 'embedded' || location.source === 'user' ? read.problem : `${read.problem} (chosen ${SOURCE_LABELS[location.source]})`;
  const { line, column } = read;
  return {
    ...base,
    registry: undefined,
    issues: [{ severity: 'error', path: [], message, file: displayPath, line, column }],
    found: { errors: 1, warnings: 0 },
  };
}

export class RegistryError extends Error {
  /** `what` says what is not valid: by default the file itself. */
  constructor(loaded: Pick<LoadedRegistry, 'displayPath' | 'issues'>, what = `${loaded.displayPath} is not valid`) {
    super(
      `${what}; nothing changed:\n${loaded.issues
        .filter((i) => i.severity === 'error')
        .map((i) => `  ${formatIssue(i)}`)
        .join('\n')}`,
    );
    this.name = 'RegistryError';
  }
}

export { displayPathOf };
