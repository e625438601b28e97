/** Valid registries: defaults, the shipped registries, and the generated JSON Schema. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRegistry, type ServiceDefinition } from '@shared/model';
import { registryJsonSchema } from '../../../src-main/core/registry/registry-json-schema';
import { binaryService } from '../../support/registry-text';

const configFile = (name: string) => new URL(`../../../config/${name}`, import.meta.url);
const load = (name: string) => parseRegistry(readFileSync(configFile(name), 'utf8'), name);
const service = (text: string, name: string): ServiceDefinition => {
  const result = parseRegistry(text, 'services.toml');
  expect(result.issues).toEqual([]);
  return result.registry!.services.find((s) => s.name === name)!;
};

describe('registry schema', () => {
  it('fills in defaults and turns durations into milliseconds', () => {
    const text = `${binaryService('a')}[services.a.health_check]\ntype = "http"\nhttp = { url = "http://127.0.0.1:1/health" }\n`;
    const a = service(text, 'a');
    expect(a).toMatchObject({
      description: '',
      order: 100,
      auto_start: false,
      kind: 'service',
      dependencies: [],
      conflicts: [],
      required_for: [],
      ports: [],
      deployment: { mode: 'binary', binary: { command: 'node', args: [], env: {}, shell: false } },
      startup: { timeout: 30_000, restart: 'on-failure', stop_timeout: 10_000 },
    });
    expect(a.health_check).toEqual({
      type: 'http',
      interval: 10_000,
      timeout: 5_000,
      retries: 3,
      grace_period: 0,
      on_unhealthy: 'ignore',
      http: { url: 'http://127.0.0.1:1/health', method: 'GET', expected_status: '200-299', headers: {} },
    });
  });

  it('accepts every deployment mode with its own fields', () => {
    const text = [
      '[services.d.deployment]\nmode = "docker"\ndocker = { image = "local/busybox:test", ports = ["8054:8080", "127.0.0.1:5353:53/udp"], env = { TOKEN = { env = "D_TOKEN" } } }',
      '[services.c.deployment]\nmode = "docker-compose"\ndocker-compose = { file = "../platform/docker-compose.yaml", service = "gitea" }',
      '[services.k.deployment]\nmode = "kubernetes"\nkubernetes = { namespace = "dev", manifests = ["k8s/app.yaml"], stop = "scale-to-zero" }',
      '[services.h.deployment]\nmode = "kubernetes"\nkubernetes = { helm = { chart = "../platform/chart", values = { replicas = 2 } } }',
      '[services.r.deployment]\nmode = "remote"\nremote = { url = "https://api.example.test", tls = { ca_file = "ca.pem" }, token = { env = "R_TOKEN" } }',
    ].join('\n');
    expect(service(text, 'd').deployment.docker).toMatchObject({ network: 'provisioning-net', pull: 'missing', env: { TOKEN: { env: 'D_TOKEN' } } });
    expect(service(text, 'c').deployment['docker-compose']).toEqual({ file: '../platform/docker-compose.yaml', service: 'gitea' });
    expect(service(text, 'k').deployment.kubernetes).toMatchObject({ namespace: 'dev', stop: 'scale-to-zero' });
    expect(service(text, 'h').deployment.kubernetes?.helm).toMatchObject({ chart: '../platform/chart', values: { replicas: 2 }, values_files: [] });
    expect(service(text, 'r').deployment.remote).toEqual({
      url: 'https://api.example.test',
      tls: { ca_file: 'ca.pem', insecure: false },
      token: { env: 'R_TOKEN' },
    });
  });

  it('allows two conflicting services to share a port (they never run together)', () => {
    const text = `${binaryService('coredns', 'ports = ["5353/udp"]\nconflicts = ["dnsmasq"]')}${binaryService('dnsmasq', 'ports = ["5353/udp"]')}`;
    expect(parseRegistry(text, 'services.toml').issues).toEqual([]);
  });

  it('ships a platform registry with the seed services, orders and dependencies', () => {
    const { registry, issues } = load('services.toml');
    expect(issues).toEqual([]);
    const summary = registry!.services.map((s) => [s.name, s.deployment.mode, s.order, s.dependencies, s.auto_start]);
    expect(summary).toEqual([
      ['orchestrator', 'binary', 10, [], true],
      ['coredns', 'docker', 15, [], false],
      ['control-center', 'binary', 20, ['orchestrator'], false],
      ['oci-registry', 'docker', 25, [], false],
      ['gitea', 'docker', 30, [], false],
      ['mcp-server', 'binary', 40, ['orchestrator'], false],
      ['api-gateway', 'binary', 45, ['orchestrator'], false],
    ]);
    expect(registry!.services.find((s) => s.name === 'coredns')!.conflicts).toEqual(['dnsmasq']);
    const healthUrls = registry!.services.map((s) => s.health_check?.http?.url);
    expect(healthUrls).toEqual([
      'http://127.0.0.1:8080/health',
      'http://127.0.0.1:8054/health',
      'http://127.0.0.1:8081/health',
      'http://127.0.0.1:5000/v2/',
      'http://127.0.0.1:3000/api/healthz',
      'http://127.0.0.1:8083/health',
      'http://127.0.0.1:8087/health',
    ]);
  });

  it('ships a demo registry that uses all four health check types, a diamond and a slow starter', () => {
    const { registry, issues } = load('demo.toml');
    expect(issues).toEqual([]);
    const services = registry!.services;
    expect(new Set(services.map((s) => s.health_check?.type))).toEqual(new Set(['http', 'tcp', 'command', 'file']));
    expect(services.find((s) => s.name === 'api')!.dependencies).toEqual(['auth', 'cache']);
    expect(services.every((s) => s.deployment.mode === 'binary' && s.deployment.binary?.command === 'node')).toBe(true);
    expect(services.find((s) => s.name === 'indexer')!.deployment.binary!.args).toContain('--ready-after');
  });

  it('has an up-to-date JSON Schema in config/ (npm run schema regenerates it)', () => {
    expect(readFileSync(configFile('services.schema.json'), 'utf8')).toBe(registryJsonSchema());
  });
});

describe('placeholders', () => {
  it('accepts $${ as a literal ${ for a shell command', () => {
    const text = '[services.a.deployment]\nmode = "binary"\nbinary = { command = "echo $${PATH} ${home}", shell = true }\n';
    expect(parseRegistry(text, 'services.toml').issues).toEqual([]);
  });
});
