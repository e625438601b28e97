/** Settings' words for where the registry comes from now and what a saved path does (registry-origin.ts). */
import { describe, expect, it } from 'vitest';
import { registryNow, savedPathNote, savedPathNotice } from '../../../src-renderer/src/state/registry-origin';

const at = (registrySource: 'flag' | 'env' | 'settings' | 'user' | 'embedded', registry = '/r/services.toml') => ({ registry, registrySource });

describe('where the registry comes from', () => {
  it('names the step of discovery that found the file', () => {
    expect(registryNow(at('env'))).toBe('Now: /r/services.toml, named by PROVISIONING_CONFIG.');
    expect(registryNow(at('flag'))).toContain('named by --config');
    expect(registryNow(at('embedded'))).toContain('the embedded demo registry');
    expect(registryNow({ registry: '/r/services.toml' })).toBe('Now: /r/services.toml.');
  });

  it('says a saved path is not in use while PROVISIONING_CONFIG or --config overrides it, never "from the next start"', () => {
    expect(savedPathNote(at('env'), '/mine.toml')).toBe(
      'The saved path /mine.toml is not in use: PROVISIONING_CONFIG overrides it for this engine. It applies once the engine starts without PROVISIONING_CONFIG.',
    );
    expect(savedPathNote(at('flag'), null)).toMatch(/^A saved path would not be used: --config overrides it/);
    expect(savedPathNotice(at('env'), '/mine.toml')).not.toContain('next start');
  });

  it('says a saved path applies from the next start when nothing overrides it, and nothing when it is what runs', () => {
    expect(savedPathNote(at('user'), '/mine.toml')).toBe("The saved path /mine.toml is used from the engine's next start.");
    expect(savedPathNote(at('settings', '/mine.toml'), '/mine.toml')).toBeUndefined();
    expect(savedPathNote(at('settings', '/mine.toml'), null)).toMatch(/default is used from the engine's next start/);
    expect(savedPathNote(at('embedded'), null)).toBeUndefined();
    expect(savedPathNotice(at('settings', '/mine.toml'), '/mine.toml')).toBe('registry set to /mine.toml. It is the one in use now.');
  });
});
