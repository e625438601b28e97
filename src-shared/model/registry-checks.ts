/**
 * Checks that span fields or services, beyond what the schema of one service can say:
 * mode and check sub-tables, unknown or self dependencies, placeholders; then the graph and port checks.
 */
import { DEPLOYMENT_MODES } from './deployment-schema';
import { suggestion, suggestionBudget } from './did-you-mean';
import { formatDuration } from './duration';
import { dependencyChecks } from './dependency-checks';
import { HEALTH_CHECK_TYPES } from './health-check-schema';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders';
import { portClashes } from './port-checks';
import { appendIssues, error, warning, type KeyPath, type RegistryIssue } from './registry-issue';
import type { ServiceDefinition } from './service-schema';
import { isTable, type Table } from './table';

export function checkRegistry(raw: Table, services: readonly ServiceDefinition[]): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const names = Object.keys(raw);
  const known = new Set(names);
  // Suggestions among the registry's own names are the one search that grows with the file.
  const budget = suggestionBudget();
  for (const name of names) {
    const service = raw[name];
    if (!isTable(service)) continue;
    appendIssues(issues, selectedSubTable(service, name, 'deployment', 'mode', DEPLOYMENT_MODES));
    appendIssues(issues, selectedSubTable(service, name, 'health_check', 'type', HEALTH_CHECK_TYPES));
    appendIssues(
      issues,
      nameList(service, name, 'dependencies', (entry) =>
        entry === name ? 'a service cannot depend on itself' : known.has(entry) ? undefined : `unknown service '${entry}'${suggestion(entry, names, budget)}`,
      ),
    );
    appendIssues(
      issues,
      nameList(service, name, 'conflicts', (entry) => (entry === name ? 'a service cannot conflict with itself' : undefined)),
    );
    appendIssues(issues, placeholderReferences(service, ['services', name]));
  }
  for (const service of services) appendIssues(issues, perService(service));
  appendIssues(issues, dependencyChecks(raw, services));
  appendIssues(issues, portClashes(services));
  return issues;
}

/** `deployment.mode = "docker"` needs `deployment.docker`; `health_check.type = "http"` needs `health_check.http`. */
function selectedSubTable(service: Table, name: string, table: string, key: string, choices: readonly string[]): RegistryIssue[] {
  const section = service[table];
  if (!isTable(section)) return [];
  const selected = section[key];
  if (typeof selected !== 'string' || !choices.includes(selected) || section[selected] !== undefined) return [];
  return [error(['services', name, table, selected], `required when ${key} = "${selected}"`)];
}

/** Entries of a name list: duplicates and whatever `problem` says of an entry. */
function nameList(service: Table, name: string, key: string, problem: (entry: string) => string | undefined): RegistryIssue[] {
  const list = service[key];
  if (!Array.isArray(list)) return [];
  const seen = new Set<unknown>();
  return list.flatMap((entry, i): RegistryIssue[] => {
    const path = ['services', name, key, i];
    if (seen.has(entry)) return [error(path, `'${String(entry)}' is listed twice`)];
    seen.add(entry);
    const message = typeof entry === 'string' ? problem(entry) : undefined;
    return message ? [error(path, message)] : [];
  });
}

function perService(service: ServiceDefinition): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const kubernetes = service.deployment.kubernetes;
  if (kubernetes && kubernetes.manifests.length === 0 && !kubernetes.inline && !kubernetes.helm) {
    issues.push(error(['services', service.name, 'deployment', 'kubernetes'], 'needs `manifests`, `inline` manifests or a `helm` chart'));
  }
  const check = service.health_check;
  if (check && check.timeout > check.interval) {
    issues.push(
      warning(
        ['services', service.name, 'health_check', 'timeout'],
        `${formatDuration(check.timeout)} is longer than the interval ${formatDuration(check.interval)}`,
      ),
    );
  }
  return issues;
}

/** Every string but the description may use `${home}` and `${registry_dir}`; anything else is a typo. */
function placeholderReferences(service: Table, at: KeyPath): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const path: (string | number)[] = [...at];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return;
      for (const name of unknownPlaceholders(value)) {
        const known = PLACEHOLDERS.map((p) => `\${${p}}`).join(', ');
        issues.push(error([...path], `unknown placeholder \${${name}}; known: ${known}${suggestion(name, PLACEHOLDERS)}`));
      }
    } else if (Array.isArray(value) || isTable(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (path.length === at.length && key === 'description') continue;
        path.push(Array.isArray(value) ? Number(key) : key);
        visit(item);
        path.pop();
      }
    }
  };
  visit(service);
  return issues;
}
