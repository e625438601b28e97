/**
 * The service, operation and label names shell completion offers, read cheaply from the registry a command
 * would use: its TOML parsed, never validated (an invalid registry being edited still completes), no
 * schema, no daemon. Any problem — no file, bad TOML, too large — answers no names: a Tab never errs.
 */
import { readSettingsJson } from '../../core/settings-file';
import { parse } from 'smol-toml';
import { MAX_REGISTRY_FILE_BYTES } from '@shared/model/registry-limits';
import { OPERATION_NAME_PATTERN, SERVICE_NAME_PATTERN } from '@shared/model/name-patterns';
import { discoverRegistryWith } from '../../core/registry/discovery-order';
import { readRegularFile } from '../../core/read-regular-file';

export interface CompletionNames {
  /** `[services.<name>]` tables, in file order. */
  readonly services: readonly string[];
  /** Every operation some service is `required_for`, sorted. */
  readonly operations: readonly string[];
  /** Every label of a service, sorted. */
  readonly labels: readonly string[];
}

const NONE: CompletionNames = { services: [], operations: [], labels: [] };

export async function completionNames(input: { config?: string; env: Readonly<Record<string, string | undefined>>; cwd: string }): Promise<CompletionNames> {
  try {
    const { path } = discoverRegistryWith({ flag: input.config, env: input.env, cwd: input.cwd }, settingsRegistryPath);
    const read = await readRegularFile(path, MAX_REGISTRY_FILE_BYTES);
    if (!('bytes' in read)) return NONE;
    const services = parse(read.bytes.toString('utf8'))['services'];
    if (!isTable(services)) return NONE;
    const operations = new Set<string>();
    const labels = new Set<string>();
    const names = Object.entries(services).flatMap(([name, service]) => {
      if (!isTable(service)) return [];
      const requiredFor = service['required_for'];
      // Only what the schema would accept: a key with a tab, a newline or a quote never reaches the shell.
      if (Array.isArray(requiredFor))
        for (const operation of requiredFor) if (typeof operation === 'string' && OPERATION_NAME_PATTERN.test(operation)) operations.add(operation);
      // Labels are spelled as service names (labels-links-schema.ts).
      const labelled = service['labels'];
      if (Array.isArray(labelled)) for (const label of labelled) if (typeof label === 'string' && SERVICE_NAME_PATTERN.test(label)) labels.add(label);
      return SERVICE_NAME_PATTERN.test(name) ? [name] : [];
    });
    return { services: names, operations: [...operations].sort(), labels: [...labels].sort() };
  } catch {
    return NONE;
  }
}

const isTable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The settings' registry choice (settings-store.ts reads the same field through its schema): a
 * present, non-empty string is taken as it is, which at worst completes names from the file it names.
 */
function settingsRegistryPath(home: string): string | null {
  try {
    const registryPath = readSettingsJson(home)?.['registryPath'];
    return typeof registryPath === 'string' && registryPath !== '' ? registryPath : null;
  } catch {
    return null;
  }
}
