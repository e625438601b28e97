/**
 * Registry text → validated registry, or its problems, each located by file:line:col and key path.
 * Pure: the CLI, the engine and the renderer's editor all use it. Every step is linear in the text
 * (or bounded), and at most MAX_REPORTED_ISSUES problems are listed, so a hostile or badly broken
 * file costs little to check and still reads as a list a person can work through.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { suggestion } from './did-you-mean';
import { appendIssues, error, type LocatedIssue, type RegistryIssue } from './registry-issue';
import { checkRegistry } from './registry-checks';
import { parseWith } from './schema-messages';
import { SERVICE_NAME_PATTERN, serviceName } from './schema-primitives';
import { serviceDefinition, serviceSchema, type Registry, type ServiceDefinition } from './service-schema';
import { TomlLocations } from './toml-locations';

/** Problems listed, in file order; one more line says how many more were found. */
export const MAX_REPORTED_ISSUES = 100;

export interface IssueCounts {
  readonly errors: number;
  readonly warnings: number;
}

export interface RegistryParseResult {
  /** Present when the file has no errors (warnings allowed). */
  readonly registry: Registry | undefined;
  /** Errors and warnings, in file order: the first MAX_REPORTED_ISSUES, then an "and N more" line. */
  readonly issues: readonly LocatedIssue[];
  /** Every problem found, listed or not. */
  readonly found: IssueCounts;
}

/**
 * `machineChecks`: what only the machine that will run it can say (a limit it cannot enforce), given
 * the valid services; its issues are located like the rest.
 */
export function parseRegistry(text: string, file: string, machineChecks?: (services: readonly ServiceDefinition[]) => RegistryIssue[]): RegistryParseResult {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text);
  } catch (cause) {
    if (!(cause instanceof TomlError)) throw cause;
    const message = cause.message.split('\n')[0]!.replace(/^Invalid TOML document: /, 'invalid TOML: ');
    return {
      registry: undefined,
      issues: [{ severity: 'error', path: [], message, file, line: cause.line, column: cause.column }],
      found: { errors: 1, warnings: 0 },
    };
  }

  const issues: RegistryIssue[] = Object.keys(document)
    .filter((key) => key !== 'services')
    .map((key) => error([key], `unknown key${suggestion(key, ['services'])}`));
  const raw = document['services'];
  const services: ServiceDefinition[] = [];
  if (raw === undefined) issues.push(error(['services'], 'required: one [services.<name>] table per service'));
  else if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) issues.push(error(['services'], 'expected a table of services'));
  else {
    const table = raw as Record<string, unknown>;
    for (const [name, definition] of Object.entries(table)) {
      if (!SERVICE_NAME_PATTERN.test(name)) {
        appendIssues(issues, parseWith(serviceName, name, ['services', name]).issues);
        continue;
      }
      const parsed = parseWith(serviceSchema, definition, ['services', name]);
      appendIssues(issues, parsed.issues);
      if (parsed.data) services.push(serviceDefinition(name, parsed.data));
    }
    appendIssues(issues, checkRegistry(table, services));
    if (machineChecks) appendIssues(issues, machineChecks(services));
  }

  const errors = issues.filter((issue) => issue.severity === 'error').length;
  return {
    registry: errors > 0 ? undefined : { services },
    issues: listed(locate(issues, text, file)),
    found: { errors, warnings: issues.length - errors },
  };
}

function locate(issues: readonly RegistryIssue[], text: string, file: string): LocatedIssue[] {
  if (issues.length === 0) return [];
  const locations = new TomlLocations(
    text,
    issues.map((issue) => issue.path),
  );
  return issues.map((issue) => ({ ...issue, file, ...locations.locate(issue.path) })).sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The first issues in file order and, where some are left out, a line saying how many, placed at the first of them. */
function listed(located: LocatedIssue[]): LocatedIssue[] {
  if (located.length <= MAX_REPORTED_ISSUES) return located;
  const rest = located.slice(MAX_REPORTED_ISSUES);
  const errors = rest.filter((issue) => issue.severity === 'error').length;
  const counts = [more(errors, 'error'), more(rest.length - errors, 'warning')].filter(Boolean).join(' and ');
  const { file, line, column } = rest[0]!;
  const message = `and ${counts} not listed (only the first ${MAX_REPORTED_ISSUES} problems are shown; fix these and validate again)`;
  return [...located.slice(0, MAX_REPORTED_ISSUES), { severity: errors > 0 ? 'error' : 'warning', path: [], message, file, line, column }];
}

const more = (count: number, noun: string): string => (count === 0 ? '' : `${count} more ${noun}${count === 1 ? '' : 's'}`);
