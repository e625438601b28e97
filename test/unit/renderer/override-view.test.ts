/** What the faces say override files set: per service by file (whole-service definitions, disabled ones apart), and the disabled services by file. */
import { describe, expect, it } from 'vitest';
import type { RegistryGraph } from '../../../src-shared/contract/registry';
import { disabledByFile, fileName, overridesOf, overrideText } from '../../../src-renderer/src/state/override-view';

const local = '/work/reg/services.local.toml';
const mine = '/work/reg/mine.toml';
const overridden: NonNullable<RegistryGraph['overridden']> = [
  { service: 'api', key: 'ports', file: local },
  { service: 'api', key: 'deployment.binary.args', file: local },
  { service: 'api', key: 'dependencies', file: mine },
  { service: 'cache', key: 'enabled', file: local, disabled: true },
  { service: 'extra', key: '', file: mine },
  { service: 'extra', key: 'ports', file: mine },
  { service: 'jobs', key: 'enabled', file: local, disabled: true },
];

describe('override view', () => {
  it('groups what overrides set in a service by file, in order, and leaves disabling to its own line', () => {
    expect(overridesOf(overridden, 'api')).toEqual([
      { file: local, keys: ['ports', 'deployment.binary.args'], defined: false },
      { file: mine, keys: ['dependencies'], defined: false },
    ]);
    expect(overridesOf(overridden, 'cache')).toEqual([]);
    expect(overridesOf(overridden, 'db')).toEqual([]);
    expect(overrideText(overridesOf(overridden, 'api'))).toBe('services.local.toml: ports, deployment.binary.args\nmine.toml: dependencies');
  });

  it('says a service an override defined is defined there', () => {
    expect(overrideText(overridesOf(overridden, 'extra'), (file) => file)).toBe(`${mine}: defined there, ports`);
  });

  it('lists the services each file disabled', () => {
    expect(disabledByFile(overridden)).toEqual([{ file: local, services: ['cache', 'jobs'] }]);
    expect(disabledByFile([])).toEqual([]);
  });

  it('names a file by its last part, on either separator', () => {
    expect(fileName('~/x/services.local.toml')).toBe('services.local.toml');
    expect(fileName('C:\\reg\\mine.toml')).toBe('mine.toml');
    expect(fileName('plain.toml')).toBe('plain.toml');
  });
});
