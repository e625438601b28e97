/** Runs the real `provisioning` program in-process with captured output and a private home. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src-main/cli/program';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const tempDir = (prefix = 'pcc-'): string => mkdtempSync(join(tmpdir(), prefix));

export async function cli(argv: string[], options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  // Its own index of running homes (daemon status lists them), never the real ~/.provisioning's.
  const env = { PROVISIONING_HOME: tempDir('pcc-home-'), PROVISIONING_OWNERS_DIR: join(tempDir('pcc-owners-'), 'owners'), ...options.env };
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false, columns: 200 },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
