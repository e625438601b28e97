/** Which registry is used: --config > PROVISIONING_CONFIG > the settings' choice > the user's registry > the demo; a missing choice says who made it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedRegistryPath } from '../../../src-main/core/paths';
import { discoverRegistry } from '../../../src-main/core/registry/discover-registry';
import { loadRegistry } from '../../../src-main/core/registry/load-registry';
import { tempDir } from '../../support/cli-run';

describe('registry discovery', () => {
  it('follows the order of precedence, the settings between the environment and the user registry', () => {
    const home = tempDir('pcc-home-');
    const env = { PROVISIONING_HOME: home };
    expect(discoverRegistry({ env, cwd: '/' })).toEqual({ path: embeddedRegistryPath(), source: 'embedded' });
    mkdirSync(join(home, 'config'));
    writeFileSync(join(home, 'config', 'services.toml'), '');
    expect(discoverRegistry({ env, cwd: '/' }).source).toBe('user');
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ registryPath: '/srv/chosen.toml' }));
    expect(discoverRegistry({ env, cwd: '/' })).toEqual({ path: '/srv/chosen.toml', source: 'settings' });
    expect(discoverRegistry({ env: { ...env, PROVISIONING_CONFIG: 'e.toml' }, cwd: '/w' })).toEqual({ path: '/w/e.toml', source: 'env' });
    expect(discoverRegistry({ flag: 'f.toml', env: { ...env, PROVISIONING_CONFIG: 'e.toml' }, cwd: '/w' })).toEqual({ path: '/w/f.toml', source: 'flag' });
  });

  it('names who chose a registry file that is missing, so a stale choice can be found', async () => {
    const home = tempDir('pcc-home-');
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ registryPath: join(home, 'gone.toml') }));
    const loaded = await loadRegistry(discoverRegistry({ env: { PROVISIONING_HOME: home }, cwd: '/' }), '/');
    expect(loaded.issues.map((i) => i.message)).toEqual(['no such file (chosen in the settings: registryPath in settings.json of the provisioning home)']);
  });
});
