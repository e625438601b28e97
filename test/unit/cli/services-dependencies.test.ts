import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-run';

const PLATFORM = ['--config', 'config/services.toml'];

describe('provisioning services dependencies', () => {
  it('prints the platform forest and its start waves', async () => {
    const { code, stdout } = await cli(['services', 'dependencies', ...PLATFORM]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'coredns',
        'control-center',
        '└── orchestrator',
        'oci-registry',
        'gitea',
        'mcp-server',
        '└── orchestrator',
        'api-gateway',
        '└── orchestrator',
        '',
        'Start waves (7 services by dependency depth; services in one wave do not need each other)',
        '   1  orchestrator, coredns, oci-registry, gitea',
        '   2  control-center, mcp-server, api-gateway',
        '',
      ].join('\n'),
    );
  });

  it('prints one service: its tree, what it needs and what needs it, start and stop order', async () => {
    const { code, stdout } = await cli(['services', 'dependencies', 'web']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'web',
        '├── indexer',
        '│   └── orchestrator',
        '└── api',
        '    ├── auth',
        '    │   └── orchestrator (see above)',
        '    └── cache',
        '        └── orchestrator (see above)',
        '',
        'Needs        orchestrator, auth, cache, indexer, api',
        'Needed by    nothing',
        'Start order  orchestrator → auth → cache → indexer → api → web',
        'Stop order   web',
        '',
      ].join('\n'),
    );
  });

  it('shows dependents with --reverse', async () => {
    const { stdout } = await cli(['services', 'dependencies', 'orchestrator', '--reverse', ...PLATFORM]);
    expect(stdout.split('\n').slice(0, 4)).toEqual(['orchestrator', '├── control-center', '├── mcp-server', '└── api-gateway']);
    expect(stdout).toContain('Needed by    control-center, mcp-server, api-gateway');
    expect(stdout).toContain('Stop order   api-gateway → mcp-server → control-center → orchestrator');
  });

  it('prints JSON for one service', async () => {
    const { stdout } = await cli(['services', 'dependencies', 'api', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({
      service: 'api',
      dependencies: ['orchestrator', 'auth', 'cache'],
      directDependencies: ['auth', 'cache'],
      dependents: ['web'],
      startOrder: ['orchestrator', 'auth', 'cache', 'api'],
    });
  });

  it('prints JSON for the whole registry', async () => {
    const parsed = JSON.parse((await cli(['services', 'dependencies', '--json', ...PLATFORM])).stdout) as { startOrder: string[]; waves: string[][] };
    expect(parsed.startOrder).toEqual(['orchestrator', 'coredns', 'control-center', 'oci-registry', 'gitea', 'mcp-server', 'api-gateway']);
    expect(parsed.waves).toHaveLength(2);
  });

  it('writes DOT and Mermaid, of the whole graph or of what one service needs', async () => {
    const dot = (await cli(['services', 'dependencies', '--format', 'dot', ...PLATFORM])).stdout;
    expect(dot).toMatch(/^digraph services \{/);
    expect(dot.match(/->/g)).toHaveLength(3);
    const mermaid = (await cli(['services', 'dependencies', 'api', '--format', 'mermaid'])).stdout;
    expect(mermaid).toBe('graph LR\n  s0["orchestrator"]\n  s1["auth"]\n  s2["cache"]\n  s3["api"]\n  s1 --> s0\n  s2 --> s0\n  s3 --> s1\n  s3 --> s2\n');
  });

  it('says which service it does not know, with a suggestion, and exits 1', async () => {
    const { code, stderr } = await cli(['services', 'dependencies', 'orchestrater', ...PLATFORM]);
    expect(code).toBe(1);
    expect(stderr).toBe("unknown service 'orchestrater' (did you mean 'orchestrator'?)\n");
  });
});
