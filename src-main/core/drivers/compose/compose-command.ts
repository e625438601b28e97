/** Which Compose this machine has: the v2 plugin (`docker compose`) first, else v1 (`docker-compose`). */
import { execFile } from 'node:child_process';
import type { RegistryContext } from '../driver';

export interface ComposeCommand {
  /** The argv prefix: ['docker', 'compose'] or ['docker-compose']. */
  readonly argv: readonly string[];
  readonly version: string;
}

const CANDIDATES: readonly (readonly string[])[] = [['docker', 'compose'], ['docker-compose']];

export async function detectCompose(env: RegistryContext['env']): Promise<ComposeCommand | undefined> {
  for (const argv of CANDIDATES) {
    const version = await new Promise<string | undefined>((resolve) =>
      execFile(argv[0]!, [...argv.slice(1), 'version', '--short'], { env: { ...env }, timeout: 5_000 }, (error, stdout) =>
        resolve(error ? undefined : stdout.trim()),
      ),
    );
    if (version) return { argv, version };
  }
  return undefined;
}
