/**
 * The CLI trusts its owner's answers and sends it env values, so it connects only through a folder
 * no other user can enter or write: a state folder the group can write (a restored backup, a
 * `chmod -R`) is refused, naming the fix, before anything is sent.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { privateHomes } from '../support/cli-process';
import { nodeService } from '../support/engine-harness';

const homes = privateHomes(nodeService('web', ['-e', 'setInterval(() => {}, 1e9)']));
afterAll(() => homes.cleanup());

it('refuses to talk to an owner whose socket folder another user could write', async () => {
  const h = homes.create();
  expect((await h.run(['services', 'start', 'web'])).code).toBe(0);
  const dir = join(h.home, 'services');
  chmodSync(dir, 0o770);
  try {
    const refused = await h.run(['services', 'status']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${dir} is not a folder only you can write (owner uid ${process.getuid!()}, mode 770)`);
    expect(refused.stderr).toContain(`chmod 700 ${dir}`);
  } finally {
    chmodSync(dir, 0o700);
  }
  expect((await h.run(['services', 'status'])).code).toBe(0);
});
