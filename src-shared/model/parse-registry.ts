/**
 * Registry text → validated registry, or its problems, each located by file:line:col and key path.
 * Pure: the CLI, the engine and the renderer's editor all use it. Every step is linear in the text
 * (or bounded), and at most MAX_REPORTED_ISSUES problems are listed, so a hostile or badly broken
 * file costs little to check and still reads as a list a person can work through.
 *
 * A registry may come with override files (registry-layers.ts) and env files (env-file-values.ts):
 * `composeRegistry` merges them first, and every problem is located in the file its value came from.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { suggestion } from './did-you-mean';
import { readEnvFiles, type EnvFileReader } from './env-file-values';
import { envFilesSchema } from './env-files-schema';
import { interpolateServices } from './interpolate-services';
import { LayeredDocument, type RegistryLayer } from './registry-layers';
import { appendIssues, error, type LocatedIssue, type RegistryIssue } from './registry-issue';
import { checkRegistry } from './registry-checks';
import { parseWith } from './schema-messages';
import { SERVICE_NAME_PATTERN, serviceName } from './schema-primitives';
import { engineService, shownService } from './service-views';
import { secretMask, type Mask } from './secret-mask';
import { serviceDefinition, serviceSchema, type Registry, type ServiceDefinition } from './service-schema';
import { isTable, putOwn, type Table } from './table';
import { TomlLocations } from './toml-locations';

/** Problems listed, in file order; one more line says how many more were found. */
export const MAX_REPORTED_ISSUES = 100;

export interface IssueCounts {
  readonly errors: number;
  readonly warnings: number;
}

/** A value an override file set: `key` is its path within the service (empty: the whole service); `disabled`: it took the service out. */
export interface OverriddenValue {
  readonly service: string;
  readonly key: string;
  readonly file: string;
  readonly disabled?: true;
}

export interface RegistryParseResult {
  /** Present when the file has no errors (warnings allowed): what the engine runs (env file values in it). */
  readonly registry: Registry | undefined;
  /** The same registry as people see it: no env file value, secrets as `${NAME}`. */
  readonly shown: Registry | undefined;
  /** Errors and warnings, in file order: the first MAX_REPORTED_ISSUES, then an "and N more" line. */
  readonly issues: readonly LocatedIssue[];
  /** Every problem found, listed or not. */
  readonly found: IssueCounts;
  /** Values an override file set, and services one disabled (`enabled = false`). */
  readonly overridden: readonly OverriddenValue[];
  /** Per service, the file whose `dependencies` list is in force (else the one that defines the service). */
  readonly dependenciesFile: Readonly<Record<string, string>>;
}

export type MachineChecks = (services: readonly ServiceDefinition[]) => RegistryIssue[];

export interface RegistryInput {
  /** The registry first, then its overrides in the order they apply. */
  readonly layers: readonly { readonly file: string; readonly text: string }[];
  /** How env files are read; without it, a registry naming one is refused (a pure check cannot read files). */
  readonly readEnvFile?: EnvFileReader;
  /** What only the machine that will run it can say (a limit it cannot enforce), given the valid services. */
  readonly machineChecks?: MachineChecks;
}

export function parseRegistry(text: string, file: string, machineChecks?: MachineChecks): RegistryParseResult {
  return composeRegistry({ layers: [{ file, text }], ...(machineChecks ? { machineChecks } : {}) });
}

export function composeRegistry(input: RegistryInput): RegistryParseResult {
  const layers: RegistryLayer[] = [];
  for (const { file, text } of input.layers) {
    try {
      layers.push({ file, text, document: parseToml(text) });
    } catch (cause) {
      if (!(cause instanceof TomlError)) throw cause;
      const message = cause.message.split('\n')[0]!.replace(/^Invalid TOML document: /, 'invalid TOML: ');
      return failed([{ severity: 'error', path: [], message, file, line: cause.line, column: cause.column }], []);
    }
  }
  const layered = new LayeredDocument(layers);
  const document = layered.document;

  const issues: RegistryIssue[] = Object.keys(document)
    .filter((key) => key !== 'services' && key !== 'env_files')
    .map((key) => error([key], `unknown key${suggestion(key, ['services', 'env_files'])}`));
  const located: LocatedIssue[] = [];
  let mask: Mask = (text) => text;
  const topFiles = parseWith(envFilesSchema, document['env_files'] ?? [], ['env_files']);
  appendIssues(issues, topFiles.issues);
  const raw = document['services'];
  const services: ServiceDefinition[] = [];
  const disabled = new Map<string, number>();
  if (raw === undefined) issues.push(error(['services'], 'required: one [services.<name>] table per service'));
  else if (!isTable(raw)) issues.push(error(['services'], 'expected a table of services'));
  else {
    const table = enabledOnly(raw, layered, disabled);
    const envFiles = readEnvFiles(input.readEnvFile, layered, topFiles.data ?? [], table);
    // A problem may quote a value made from an env file (an unknown service '${NAME}' names): never a secret.
    mask = secretMask([...envFiles.variables.values()]);
    appendIssues(issues, envFiles.issues);
    located.push(...envFiles.located);
    const interpolated = interpolateServices(table, envFiles.variables);
    appendIssues(issues, interpolated.issues);
    for (const [name, definition] of Object.entries(interpolated.services)) {
      if (!SERVICE_NAME_PATTERN.test(name)) {
        appendIssues(issues, parseWith(serviceName, name, ['services', name]).issues);
        continue;
      }
      const parsed = parseWith(serviceSchema, definition, ['services', name]);
      appendIssues(issues, parsed.issues);
      if (parsed.data) services.push(serviceDefinition(name, parsed.data));
    }
    const disabledBy = new Map([...disabled].map(([name, layer]) => [name, layers[layer]!.file]));
    appendIssues(issues, checkRegistry(interpolated.services, services, disabledBy));
    if (input.machineChecks) appendIssues(issues, input.machineChecks(services));
    if (!issues.some((issue) => issue.severity === 'error') && located.every((issue) => issue.severity !== 'error')) {
      const all = [...locate(masked(issues, mask), layered), ...located];
      return {
        registry: { services: services.map((service) => engineService(service, envFiles.variables.get(service.name))) },
        shown: { services: services.map((service) => shownService(service, envFiles.variables.get(service.name))) },
        ...counted(all, layers),
        overridden: overriddenValues(layered, services, disabled),
        dependenciesFile: Object.fromEntries(services.map((s) => [s.name, layers[layered.layerOf(['services', s.name, 'dependencies'])]!.file])),
      };
    }
  }
  return failed([...locate(masked(issues, mask), layered), ...located], layers);
}

const masked = (issues: readonly RegistryIssue[], mask: Mask): RegistryIssue[] => issues.map((issue) => ({ ...issue, message: mask(issue.message) }));

/** The services an override did not disable; a non-boolean `enabled` is left for the schema to refuse. */
function enabledOnly(raw: Table, layered: LayeredDocument, disabled: Map<string, number>): Table {
  const kept: Table = {};
  for (const [name, definition] of Object.entries(raw)) {
    if (isTable(definition) && definition['enabled'] === false) disabled.set(name, layered.layerOf(['services', name, 'enabled']));
    else putOwn(kept, name, definition);
  }
  return kept;
}

function overriddenValues(layered: LayeredDocument, services: readonly ServiceDefinition[], disabled: ReadonlyMap<string, number>): OverriddenValue[] {
  const file = (layer: number) => layered.layers[layer]!.file;
  return [
    ...services.flatMap((service) =>
      layered.overridden(['services', service.name]).map(({ path, layer }) => ({ service: service.name, key: path.join('.'), file: file(layer) })),
    ),
    ...[...disabled].filter(([, layer]) => layer > 0).map(([service, layer]) => ({ service, key: 'enabled', file: file(layer), disabled: true as const })),
  ];
}

function failed(issues: LocatedIssue[], layers: readonly RegistryLayer[]): RegistryParseResult {
  return { registry: undefined, shown: undefined, ...counted(issues, layers), overridden: [], dependenciesFile: {} };
}

/** In file order: the registry, its overrides, then env files as first named; within a file by line. */
function counted(all: LocatedIssue[], layers: readonly RegistryLayer[]): Pick<RegistryParseResult, 'issues' | 'found'> {
  const errors = all.filter((issue) => issue.severity === 'error').length;
  const rank = new Map(layers.map((layer, index) => [layer.file, index]));
  for (const issue of all) if (!rank.has(issue.file)) rank.set(issue.file, rank.size);
  const sorted = all.sort((a, b) => rank.get(a.file)! - rank.get(b.file)! || a.line - b.line || a.column - b.column);
  return { issues: listed(sorted), found: { errors, warnings: all.length - errors } };
}

/** Each issue in the file its value came from (an override's line for what an override wrote). */
function locate(issues: readonly RegistryIssue[], layered: LayeredDocument): LocatedIssue[] {
  if (issues.length === 0) return [];
  const byLayer = new Map<number, RegistryIssue[]>();
  for (const issue of issues) {
    const layer = layered.layerOf(issue.path);
    const found = byLayer.get(layer);
    if (found) found.push(issue);
    else byLayer.set(layer, [issue]);
  }
  return [...byLayer].flatMap(([index, found]) => {
    const layer = layered.layers[index]!;
    const locations = new TomlLocations(
      layer.text,
      found.map((issue) => issue.path),
    );
    return found.map((issue) => ({ ...issue, file: layer.file, ...locations.locate(issue.path) }));
  });
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
