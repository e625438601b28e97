/**
 * Registry text → validated registry, or every problem in the file at once, each located by
 * file:line:col and key path. Pure: the CLI, the engine and the renderer's editor all use it.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { suggestion } from './did-you-mean';
import { error, hasErrors, type LocatedIssue, type RegistryIssue } from './registry-issue';
import { checkRegistry } from './registry-checks';
import { parseWith } from './schema-messages';
import { SERVICE_NAME_PATTERN, serviceName } from './schema-primitives';
import { serviceSchema, type Registry, type ServiceDefinition } from './service-schema';
import { TomlLocations } from './toml-locations';

export interface RegistryParseResult {
  /** Present when the file has no errors (warnings allowed). */
  readonly registry: Registry | undefined;
  /** Errors and warnings, in file order. */
  readonly issues: readonly LocatedIssue[];
}

export function parseRegistry(text: string, file: string): RegistryParseResult {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text);
  } catch (cause) {
    if (!(cause instanceof TomlError)) throw cause;
    const message = cause.message.split('\n')[0]!.replace(/^Invalid TOML document: /, 'invalid TOML: ');
    return { registry: undefined, issues: [{ severity: 'error', path: [], message, file, line: cause.line, column: cause.column }] };
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
        issues.push(...parseWith(serviceName, name, ['services', name]).issues);
        continue;
      }
      const parsed = parseWith(serviceSchema, definition, ['services', name]);
      issues.push(...parsed.issues);
      if (parsed.data) services.push({ name, ...parsed.data });
    }
    issues.push(...checkRegistry(table, services));
  }

  return {
    registry: hasErrors(issues) ? undefined : { services },
    issues: locate(issues, text, file),
  };
}

function locate(issues: readonly RegistryIssue[], text: string, file: string): LocatedIssue[] {
  if (issues.length === 0) return [];
  const locations = new TomlLocations(text, issues.map((issue) => issue.path));
  return issues
    .map((issue) => ({ ...issue, file, ...locations.locate(issue.path) }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
