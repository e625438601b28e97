/** Which Compose this machine has: the v2 plugin (`docker compose`) first, else v1 (`docker-compose`). */
import { execFile } from 'node:child_process';
import type { RegistryContext } from '../driver';

export interface ComposeCommand {
  /** The argv prefix: ['docker', 'compose'] or ['docker-compose']. */
  readonly argv: readonly string[];
  readonly version: string;
}

/** `version` answers in milliseconds; this is for a machine under heavy load (the answer is then kept). */
const DETECT_TIMEOUT_MS = 20_000;

const CANDIDATES: readonly (readonly string[])[] = [['docker', 'compose'], ['docker-compose']];

export async function detectCompose(env: RegistryContext['env']): Promise<ComposeCommand | undefined> {
  for (const argv of CANDIDATES) {
    const version = await new Promise<string | undefined>((resolve) =>
      execFile(argv[0]!, [...argv.slice(1), 'version', '--short'], { env: { ...env }, timeout: DETECT_TIMEOUT_MS }, (error, stdout) =>
        resolve(error ? undefined : stdout.trim()),
      ),
    );
    if (version) return { argv, version };
  }
  return undefined;
}
