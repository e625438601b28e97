/**
 * Test groups that need an engine (Docker, a cluster, a browser, …). Where the engine is absent (a laptop without Docker)
 * the group is skipped with a loud one-line reason; with CI=true the summary reporter fails the run
 * on any skip, so a missing engine on CI is a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';

/** Where scripts/infra puts the binaries it extracts or builds. */
export const INFRA_BIN = join(process.env['PROVISIONING_TEST_CACHE'] ?? join(homedir(), '.cache', 'provisioning-test'), 'bin');

/** The admin kubeconfig of the cluster scripts/infra/kubernetes.sh runs. */
export const KUBECONFIG_FILE = join(INFRA_BIN, '..', 'kube', 'config');

/** helm: HELM_BIN, else the one scripts/infra/helm.sh extracted, else whatever is on PATH. */
export const helmBin = (): string => process.env['HELM_BIN'] ?? (existsSync(join(INFRA_BIN, 'helm')) ? join(INFRA_BIN, 'helm') : 'helm');

function answers(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Debian's Chromium (scripts/infra/chromium.sh), or CHROMIUM_PATH. */
export const chromiumPath = (): string => process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const ENGINES = {
  chromium: { present: () => existsSync(chromiumPath()), start: 'scripts/infra/chromium.sh' },
  docker: { present: () => answers('docker', ['info']), start: 'scripts/infra/docker.sh' },
  kubernetes: {
    present: () => answers(join(INFRA_BIN, 'kubectl'), ['--kubeconfig', KUBECONFIG_FILE, 'get', '--raw', '/readyz']),
    start: 'scripts/infra/kubernetes.sh',
  },
  helm: { present: () => answers(helmBin(), ['version', '--short']), start: 'scripts/infra/helm.sh' },
  // A second engine of the test's own needs root and the daemon binary (stopping the machine's would disturb other tests).
  'private-dockerd': { present: () => process.getuid?.() === 0 && answers('dockerd', ['--version']), start: 'scripts/infra/docker.sh (as root)' },
} as const;

const known = new Map<keyof typeof ENGINES, boolean>();

/** `describe` when the engine answers; otherwise a skipped group and a loud reason on stderr. */
export function describeWith(engine: keyof typeof ENGINES): typeof describe | typeof describe.skip {
  if (!known.has(engine)) known.set(engine, ENGINES[engine].present());
  if (known.get(engine)) return describe;
  console.error(`!!! SKIPPING ${engine} tests: no ${engine} engine answers on this machine (start one with \`sudo ${ENGINES[engine].start}\`)`);
  return describe.skip;
}
