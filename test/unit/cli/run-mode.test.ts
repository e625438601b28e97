/**
 * `provisioning run`'s command line (names before `--`, the command after it, whatever options it
 * has) through the real program, and the endpoint variables derived from registry entries.
 */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { endpointEnv } from '../../../src-main/cli/run/service-endpoints';
import { splitRunArguments } from '../../../src-main/cli/run/run-arguments';
import { cli } from '../../support/cli-run';

describe('provisioning run: its command line', () => {
  it('the command is everything after the first --, its own options and -- included', () => {
    // As commander hands them over (operands, then the raw argv).
    expect(splitRunArguments(['sh', '-c', 'exit 7'], ['run', '--', 'sh', '-c', 'exit 7'])).toEqual({ names: [], command: ['sh', '-c', 'exit 7'] });
    expect(splitRunArguments(['api', 'db', 'node', '--json', 'x'], ['--json', 'run', 'api', 'db', '--', 'node', '--json', 'x'])).toEqual({
      names: ['api', 'db'],
      command: ['node', '--json', 'x'],
    });
    expect(splitRunArguments(['a', 'foo', '--', 'bar'], ['run', '--for', 't', 'a', '--', 'foo', '--', 'bar'])).toEqual({
      names: ['a'],
      command: ['foo', '--', 'bar'],
    });
  });

  it('without a command, or with an unknown option before --: a usage error, before any daemon', async () => {
    const none = await cli(['run', '--for', 'test']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the command to run goes after `--`');
    const typo = await cli(['run', '--fro', 'test', '--', 'true']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown option '--fro'");
  });
});

describe('provisioning run: endpoint variables', () => {
  const service = (name: string, body: string) => `[services.${name}]\n${body}\n`;
  const binary = '[services.X.deployment]\nmode = "binary"\nbinary = { command = "true" }\n';
  const { registry } = parseRegistry(
    [
      service('control-center', binary.replaceAll('X', 'control-center')) +
        '[services.control-center.health_check]\ntype = "http"\nhttp = { url = "http://127.0.0.1:8081/health" }\n',
      service('db', 'ports = ["5353/udp", 5432]\n' + binary.replaceAll('X', 'db')),
      service('redis', binary.replaceAll('X', 'redis')) + '[services.redis.health_check]\ntype = "tcp"\ntcp = { port = 6379 }\n',
      service('gitea', '[services.gitea.deployment]\nmode = "remote"\nremote = { url = "https://git.example.org/" }'),
      service('quiet', binary.replaceAll('X', 'quiet')),
    ].join('\n'),
    'services.toml',
  );

  it('URL, HOST and PORT from the http check, a remote url, a tcp check or the first tcp port; nothing for a service that names none', () => {
    expect(endpointEnv(registry!.services, { home: '/h', registry_dir: '/r' })).toEqual({
      PROVISIONING_CONTROL_CENTER_URL: 'http://127.0.0.1:8081',
      PROVISIONING_CONTROL_CENTER_HOST: '127.0.0.1',
      PROVISIONING_CONTROL_CENTER_PORT: '8081',
      PROVISIONING_DB_HOST: '127.0.0.1',
      PROVISIONING_DB_PORT: '5432',
      PROVISIONING_REDIS_HOST: '127.0.0.1',
      PROVISIONING_REDIS_PORT: '6379',
      PROVISIONING_GITEA_URL: 'https://git.example.org',
      PROVISIONING_GITEA_HOST: 'git.example.org',
      PROVISIONING_GITEA_PORT: '443',
    });
  });
});
