/**
 * Checks that span fields or services, beyond what the schema of one service can say:
 * mode and check sub-tables, unknown or self dependencies, placeholders; then the graph and port checks.
 */
import { DEPLOYMENT_MODES } from './deployment-schema';
import { suggestion, suggestionBudget } from './did-you-mean';
import { formatDuration } from './duration';
import { dependencyChecks } from './dependency-checks';
import { entryName } from './dependency-schema';
import { HEALTH_CHECK_TYPES } from './health-check-schema';
import { labelsAndLinksChecks } from './labels-links-checks';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders';
import { portClashes } from './port-checks';
import { appendIssues, error, warning, type KeyPath, type RegistryIssue } from './registry-issue';
import type { ServiceDefinition } from './service-schema';
import { isTable, type Table } from './table';
import { watchChecks } from './watch-checks';

/** `disabledBy`: services an override took out (`enabled = false`), by the file that did. */
export function checkRegistry(raw: Table, services: readonly ServiceDefinition[], disabledBy: ReadonlyMap<string, string> = new Map()): RegistryIssue[] {
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
        entry === name
          ? 'a service cannot depend on itself'
          : known.has(entry)
            ? undefined
            : disabledBy.has(entry)
              ? `'${entry}' is disabled (enabled = false in ${disabledBy.get(entry)}): write this list without it there too`
              : `unknown service '${entry}'${suggestion(entry, names, budget)}`,
      ),
    );
    appendIssues(issues, completedConditions(raw, service, name));
    appendIssues(
      issues,
      nameList(service, name, 'conflicts', (entry) => (entry === name ? 'a service cannot conflict with itself' : undefined)),
    );
    appendIssues(issues, placeholderReferences(service, ['services', name]));
    appendIssues(issues, labelsAndLinksChecks(service, name));
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

/** Entries of a name list (a name, or a dependency's `{ name, condition }`): duplicates and whatever `problem` says of an entry. */
function nameList(service: Table, name: string, key: string, problem: (entry: string) => string | undefined): RegistryIssue[] {
  const list = service[key];
  if (!Array.isArray(list)) return [];
  const seen = new Set<unknown>();
  return list.flatMap((entry, i): RegistryIssue[] => {
    const entered = entryName(entry);
    const path = ['services', name, key, i, ...(typeof entry === 'string' || entered === undefined ? [] : ['name'])];
    if (entered !== undefined && seen.has(entered)) return [error(path, `'${entered}' is listed twice`)];
    seen.add(entered);
    const message = entered === undefined ? undefined : problem(entered);
    return message ? [error(path, message)] : [];
  });
}

/** `condition = "completed"` waits for a task to run to success: on a service that runs until stopped it never holds. */
function completedConditions(raw: Table, service: Table, name: string): RegistryIssue[] {
  const list = service['dependencies'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i): RegistryIssue[] => {
    if (!isTable(entry) || entry['condition'] !== 'completed') return [];
    const target = typeof entry['name'] === 'string' ? raw[entry['name']] : undefined;
    if (!isTable(target) || target['kind'] === 'task') return [];
    return [
      error(
        ['services', name, 'dependencies', i, 'condition'],
        `'${String(entry['name'])}' is not a task (kind = "task"), so it never completes; use "healthy" or "started", or make it a task`,
      ),
    ];
  });
}

function perService(service: ServiceDefinition): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const kubernetes = service.deployment.kubernetes;
  if (kubernetes && kubernetes.manifests.length === 0 && !kubernetes.inline && !kubernetes.helm) {
    issues.push(error(['services', service.name, 'deployment', 'kubernetes'], 'needs `manifests`, `inline` manifests or a `helm` chart'));
  }
  const check = service.health_check;
  if (check?.on_unhealthy === 'restart' && service.deployment.mode === 'remote') {
    issues.push(warning(['services', service.name, 'health_check', 'on_unhealthy'], 'a remote service is only watched from here: it is never restarted'));
  }
  if (check && service.kind === 'task') {
    issues.push(warning(['services', service.name, 'health_check'], 'a task is done when it exits: its health check is never run'));
  }
  issues.push(...unusedStopControl(service));
  if (service.interactive && service.deployment.mode !== 'binary') {
    issues.push(
      error(
        ['services', service.name, 'interactive'],
        `only binary services run on a terminal of ours: a ${service.deployment.mode} service's process is not ours; open a terminal into it instead (services exec)`,
      ),
    );
  }
  issues.push(...watchChecks(service));
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

/** Hooks run around a binary service's process only; a stop signal reaches a process or a container we create. */
function unusedStopControl(service: ServiceDefinition): RegistryIssue[] {
  const mode = service.deployment.mode;
  if (mode === 'binary') return [];
  const keys = (['pre_start', 'post_start', 'pre_stop', 'stop_command'] as const).filter((key) => service.startup[key] !== undefined);
  const signal = service.startup.stop_signal !== undefined;
  const why = {
    remote: 'a remote service is only watched from here: nothing here stops it',
    kubernetes: 'its pods are stopped by the cluster: set STOPSIGNAL in the image, or a preStop hook in the manifest',
    'docker-compose': 'its containers are stopped by Compose: set stop_signal in the compose file',
  } as const;
  return [
    ...keys.map((key) => warning(['services', service.name, 'startup', key], `only binary services run it: a ${mode} service never does`)),
    ...(signal && mode !== 'docker' ? [warning(['services', service.name, 'startup', 'stop_signal'], `has no effect on a ${mode} service: ${why[mode]}`)] : []),
  ];
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
