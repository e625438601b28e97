/**
 * The environment every service (and every command health check) receives from the manager besides
 * what its registry `env` table gives it: who and where it runs, and how text is read. Nothing else
 * of the manager's environment reaches a service, so a secret in the manager's (or the caller's)
 * environment goes only where the registry references it.
 */

/** Names passed as the manager has them; with `LC_*`, every locale category. */
export const BASE_ENVIRONMENT = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'LC_*', 'TZ', 'TMPDIR', 'XDG_RUNTIME_DIR'] as const;

const EXACT = new Set<string>(BASE_ENVIRONMENT.filter((name) => !name.endsWith('*')));
const PREFIXES = BASE_ENVIRONMENT.filter((name) => name.endsWith('*')).map((name) => name.slice(0, -1));

export const isBaseVariable = (name: string): boolean => EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix));

/** The base variables of `env` that are set. */
export function baseEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && isBaseVariable(name)) base[name] = value;
  return base;
}
