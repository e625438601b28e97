/**
 * scripts/infra/debian-sources.sh: the deb-src entry kubernetes.sh adds is derived from the machine's
 * own apt sources (deb822 and one-line), so it follows a mirror and its key; run by bash on sample trees.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/cli-run';

const SCRIPT = join(process.cwd(), 'scripts', 'infra', 'debian-sources.sh');

/** A root with these files under etc/apt, and what `debian_entries TYPE bookworm SKIP ROOT` prints. */
function entries(files: Record<string, string>, type = 'deb', skip = '/etc/apt/sources.list.d/provisioning-src.sources'): string {
  const root = tempDir('pcc-apt-');
  mkdirSync(join(root, 'etc', 'apt', 'sources.list.d'), { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, 'etc', 'apt', path), text);
  return execFileSync('bash', ['-c', `. "$0" && debian_entries "$1" bookworm "$2" "$3"`, SCRIPT, type, skip, root], { encoding: 'utf8' });
}

const stanza = (uris: string, signed?: string) =>
  `Types: deb-src\nURIs: ${uris}\nSuites: bookworm\nComponents: main\n${signed ? `Signed-By: ${signed}\n` : ''}\n`;

describe('debian_entries', () => {
  it('takes the URIs and key of the deb822 entry for the release, not its updates or security suites', () => {
    const sources = [
      'Types: deb',
      '# a comment inside the stanza',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      'Signed-By: /usr/share/keyrings/mirror.gpg',
      '',
      'Types: deb',
      'URIs: http://mirror.example/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      '',
    ].join('\n');
    expect(entries({ 'sources.list.d/debian.sources': sources })).toBe(stanza('http://mirror.example/debian', '/usr/share/keyrings/mirror.gpg'));
  });

  it('reads one-line entries with their options, and skips disabled, other-component and commented ones', () => {
    const list = [
      '# deb http://commented.example/debian bookworm main',
      'deb [arch=amd64 signed-by=/etc/apt/keyrings/corp.gpg] https://apt.corp.example/debian bookworm main non-free-firmware',
      'deb http://contrib-only.example/debian bookworm contrib',
      '',
    ].join('\n');
    const disabled = 'Types: deb\nURIs: http://disabled.example/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n';
    expect(entries({ 'sources.list': list, 'sources.list.d/off.sources': disabled })).toBe(
      stanza('https://apt.corp.example/debian', '/etc/apt/keyrings/corp.gpg'),
    );
  });

  it('keeps an inline key as written, with its continuation lines', () => {
    const sources =
      'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\nComponents: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n -----END PGP PUBLIC KEY BLOCK-----\n';
    expect(entries({ 'sources.list.d/inline.sources': sources })).toBe(
      stanza('http://mirror.example/debian', '\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n -----END PGP PUBLIC KEY BLOCK-----'),
    );
  });

  it('finds a deb-src entry the machine has, but not the one it would write itself', () => {
    const own = stanza('http://mirror.example/debian');
    expect(entries({ 'sources.list.d/provisioning-src.sources': own }, 'deb-src')).toBe('');
    expect(entries({ 'sources.list': 'deb-src http://mirror.example/debian bookworm main\n' }, 'deb-src')).toBe(stanza('http://mirror.example/debian'));
  });

  it('prints nothing when the machine has no entry for the release', () => {
    expect(entries({})).toBe('');
    expect(entries({ 'sources.list': 'deb http://mirror.example/debian bullseye main\n' })).toBe('');
  });
});
