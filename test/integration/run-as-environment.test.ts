/**
 * A service run as another user gets that user's HOME, USER and LOGNAME (as `runuser` and systemd's
 * User= give them), not the manager's; an `env` entry in the registry still wins. Needs root.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tempDir } from '../support/cli-run';
import { harnesses, waitFor } from '../support/engine-harness';

const { open } = harnesses();
const root = process.getuid?.() === 0;
if (!root && process.env['CI'] === 'true') throw new Error('run-as-environment needs root');
if (!root) console.warn('run-as-environment: skipped (needs root to run a service as another user)');

/** A service run as `nobody` that prints its account variables and stays. */
function service(name: string, env: string): string {
  const dir = tempDir('pcc-runas-env-');
  chmodSync(dir, 0o755);
  const script = 'echo "account $HOME $USER $LOGNAME"; exec sleep 1000';
  return [
    `[services.${name}.deployment]`,
    'mode = "binary"',
    `binary = { command = "/bin/sh", args = ["-c", ${JSON.stringify(script)}], cwd = ${JSON.stringify(dir)}, user = "nobody", env = { ${env} } }`,
    '',
  ].join('\n');
}

describe.skipIf(!root)('run-as environment', () => {
  it("gives the service its user's HOME, USER and LOGNAME; the registry's env wins", async () => {
    const h = await open(service('plain', '') + service('pinned', 'HOME = "/srv/pinned"'));
    for (const name of ['plain', 'pinned']) expect((await h.engine.start(name)).state).toBe('healthy');
    const account = (name: string) =>
      waitFor(async () => (await tailLog(logFiles(join(h.home, 'services', 'logs'), name))).find((l) => l.text.startsWith('account '))?.text);
    expect(process.env['HOME']).not.toBe('/nonexistent');
    expect(await account('plain')).toBe('account /nonexistent nobody nobody');
    expect(await account('pinned')).toBe('account /srv/pinned nobody nobody');
  });
});
