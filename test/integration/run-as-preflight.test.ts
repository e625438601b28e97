/**
 * `user` / `group` need a manager that runs as root or as that account: a manager run as another,
 * unprivileged user (`nobody`, through setpriv) gets a located refusal from the binary preflight,
 * naming the key; an unknown account is refused by name. Needs root to become nobody.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';

const root = process.getuid?.() === 0;
const PREFLIGHT = join(process.cwd(), 'src-main', 'core', 'drivers', 'binary', 'binary-preflight.ts');

describe.skipIf(!root)('run-as preflight', () => {
  it('refuses user = "postgres" for a manager running as nobody, and an unknown user, located', () => {
    const dir = tempDir('pcc-runas-');
    chmodSync(dir, 0o755);
    const probe = join(dir, 'probe.mts');
    // Runs as nobody: the preflight of a binary service asking for each account.
    writeFileSync(
      probe,
      [
        `import { binaryProblems } from ${JSON.stringify(PREFLIGHT)};`,
        `const context = { home: ${JSON.stringify(dir)}, registryDir: ${JSON.stringify(dir)}, env: process.env, given: {} };`,
        `const service = (user) => ({ name: 'db', startup: {}, deployment: { mode: 'binary', binary: { command: '/bin/true', args: [], env: {}, shell: false, user } } });`,
        `const results = [];`,
        `for (const user of ['postgres', 'nobody', 'no-such-user-x']) results.push(await binaryProblems(service(user), context));`,
        `console.log(JSON.stringify(results));`,
      ].join('\n'),
    );
    chmodSync(probe, 0o644);
    const out = execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--import', 'tsx', probe], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([
      ['services.db.deployment.binary.user: running as postgres needs the manager to run as root or as postgres (it runs as uid 65534, gid 65534)'],
      [],
      ["services.db.deployment.binary.user: no such user 'no-such-user-x' on this machine"],
    ]);
  });
});
