/**
 * The environment every service (and every command health check) receives from the manager besides
 * what its registry `env` table gives it: who and where it runs, and how text is read. Nothing else
 * of the manager's environment reaches a service, so a secret in the manager's (or the caller's)
 * environment goes only where the registry references it.
 *
 * The manager itself (a daemon a command starts) keeps only that base plus what its tools read:
 * the rest of the starting shell's environment never enters the daemon, so no secret of that shell
 * sits in its process environment or reaches compose interpolation, kubectl or helm.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** Names passed as the manager has them; with `LC_*`, every locale category. */
export const BASE_ENVIRONMENT = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'LC_*', 'TZ', 'TMPDIR', 'XDG_RUNTIME_DIR'] as const;

/**
 * What a daemon is started with besides the base: its own settings, what Docker, Compose, kubectl and
 * helm read (endpoints, contexts, config files, proxies, CAs), the desktop session, and Node's runtime
 * options. Never a service's secret: env references travel with each start instead.
 */
export const OWNER_TOOL_ENVIRONMENT = [
  'PROVISIONING_HOME',
  'PROVISIONING_CONFIG',
  'PROVISIONING_ANSWER_TIMEOUT_MS',
  'PROVISIONING_OWNERS_DIR',
  'PROVISIONING_PROCESS_TRACKING',
  'DOCKER_*',
  'COMPOSE_*',
  'KUBECONFIG',
  'HELM_*',
  'XDG_*',
  'NO_COLOR',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
] as const;

/** `NAME` matches itself, `PREFIX*` every name that starts so. */
function matcher(names: readonly string[]): (name: string) => boolean {
  const exact = new Set(names.filter((name) => !name.endsWith('*')));
  const prefixes = names.filter((name) => name.endsWith('*')).map((name) => name.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

const isBaseVariable = matcher(BASE_ENVIRONMENT);
const isOwnerVariable = matcher([...BASE_ENVIRONMENT, ...OWNER_TOOL_ENVIRONMENT]);

function picked(env: Env, keep: (name: string) => boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && keep(name)) kept[name] = value;
  return kept;
}

/** The base variables of `env` that are set. */
export const baseEnvironment = (env: Env): Record<string, string> => picked(env, isBaseVariable);

/** What of a starting shell's `env` a daemon it starts is given: the base and OWNER_TOOL_ENVIRONMENT. */
export const ownerEnvironment = (env: Env): Record<string, string> => picked(env, isOwnerVariable);
