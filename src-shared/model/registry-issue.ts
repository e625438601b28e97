/** A problem found in a registry file, located by key path and (once located) line and column. */

export type KeyPath = readonly (string | number)[];

export interface RegistryIssue {
  readonly severity: 'error' | 'warning';
  readonly path: KeyPath;
  readonly message: string;
}

export interface LocatedIssue extends RegistryIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export const error = (path: KeyPath, message: string): RegistryIssue => ({ severity: 'error', path, message });
export const warning = (path: KeyPath, message: string): RegistryIssue => ({ severity: 'warning', path, message });

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `services.gitea.deployment.docker.ports[1]`, quoting keys TOML would quote. */
export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += (text ? '.' : '') + (BARE_KEY.test(part) ? part : JSON.stringify(part));
  }
  return text;
}

/** `services.toml:42:3 services.gitea.deployment.docker.image: required` */
export function formatIssue(issue: LocatedIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const path = issue.path.length > 0 ? ` ${formatKeyPath(issue.path)}:` : '';
  const severity = issue.severity === 'warning' ? ' warning:' : '';
  return `${where}${path}${severity} ${issue.message}`;
}

/** Appends in place; `push(...issues)` overflows the stack on the hundred thousand issues a hostile file can make. */
export function appendIssues(into: RegistryIssue[], issues: Iterable<RegistryIssue>): void {
  for (const issue of issues) into.push(issue);
}

export const hasErrors = (issues: readonly RegistryIssue[]): boolean => issues.some((i) => i.severity === 'error');
