/**
 * What a registry change shows before it is applied, on real files and real permissions (root here,
 * with uid 65534 as "another user"): warnings follow the real path through symlinks and every
 * folder above it, and a confirmation code is single use, per session, short-lived, and for the
 * exact text shown.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIRMATION_TTL_MS, readRegistryChange, RegistryConfirmations } from '../../../src-main/daemon/registry-confirmation';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const made: string[] = [];
function folder(mode = 0o700): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcc-confirm-'));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const REGISTRY = (echo: string) =>
  `[services.one]\ndescription = "one"\n[services.one.deployment]\nmode = "binary"\n[services.one.deployment.binary]\ncommand = "echo"\nargs = ["${echo}"]\n`;

describe('a registry change as shown', () => {
  it('follows a symlink to the real file, stores that path, and warns about an open folder there', async () => {
    const open = folder(0o777); // not sticky: anyone can replace what is in it
    const real = join(open, 'real.toml');
    writeFileSync(real, REGISTRY('hi'));
    chmodSync(real, 0o644);
    const link = join(folder(), 'link.toml');
    symlinkSync(real, link);
    const { shown } = await readRegistryChange(link, folder());
    expect(shown.registryPath).toBe(real);
    expect(shown.file).toBe(real);
    expect(shown.runs).toEqual([{ service: 'one', mode: 'binary', runs: ['$ echo hi'] }]);
    expect(shown.warnings).toEqual([`others can write the folder ${open}, replace ${real} and change what it runs`]);
  });

  it('warns about any open folder above the file, not only its own', async () => {
    const open = folder(0o777);
    const mine = join(open, 'mine');
    mkdirSync(mine, { mode: 0o755 });
    writeFileSync(join(mine, 'services.toml'), REGISTRY('deep'), { mode: 0o644 });
    const { shown } = await readRegistryChange(join(mine, 'services.toml'), folder());
    expect(shown.warnings).toEqual([`others can write the folder ${open}, replace ${mine} and change what it runs`]);
  });

  it.runIf(asRoot)("exempts a sticky folder only for an entry of ours (needs root, to make a file of another user's)", async () => {
    const sticky = folder(0o1777);
    const ours = join(sticky, 'ours.toml');
    writeFileSync(ours, REGISTRY('ours'), { mode: 0o644 });
    expect((await readRegistryChange(ours, folder())).shown.warnings).toEqual([]);
    const theirs = join(sticky, 'theirs.toml');
    writeFileSync(theirs, REGISTRY('theirs'), { mode: 0o644 });
    chownSync(theirs, NOBODY, NOBODY);
    expect((await readRegistryChange(theirs, folder())).shown.warnings).toEqual([
      `the file belongs to another user (uid ${NOBODY}), who can change what it runs`,
      `others can write the folder ${sticky}, replace ${theirs} and change what it runs`,
    ]);
  });

  it('refuses a FIFO at once with the guarded reader, instead of waiting for a writer', async () => {
    const { execFileSync } = await import('node:child_process');
    const fifo = join(folder(), 'pipe.toml');
    execFileSync('mkfifo', [fifo]);
    await expect(readRegistryChange(fifo, folder())).rejects.toThrow(/FIFO/);
  });
});

describe('a confirmation code', () => {
  const file = join(folder(), 'services.toml');
  writeFileSync(file, REGISTRY('a'));

  it('is redeemed once, only by the session it was issued to, and only for the text shown', async () => {
    const change = await readRegistryChange(file, folder());
    const mine = new RegistryConfirmations();
    const other = new RegistryConfirmations();
    const { code } = mine.issue(change);
    expect(other.redeem(code, change)).toBe(false);
    expect(mine.redeem(code, change)).toBe(true);
    expect(mine.redeem(code, change)).toBe(false);
    const again = mine.issue(change).code;
    writeFileSync(file, REGISTRY('edited'));
    expect(mine.redeem(again, await readRegistryChange(file, folder()))).toBe(false);
    expect(mine.redeem(undefined, change)).toBe(false);
  });

  it('expires', async () => {
    let now = 1_000;
    const confirmations = new RegistryConfirmations(() => now);
    const change = await readRegistryChange(file, folder());
    const { code } = confirmations.issue(change);
    now += CONFIRMATION_TTL_MS;
    expect(confirmations.redeem(code, change)).toBe(false);
  });
});
