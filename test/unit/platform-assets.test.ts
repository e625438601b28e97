/** The platform/ files the seed's services need: valid, and in agreement with the registry. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { parseZone } from '../support/zone-file';

const platform = (path: string) => join(process.cwd(), 'platform', path);
const registry = parseRegistry(readFileSync('config/services.toml', 'utf8'), 'services.toml').registry!;
const SERVICES = ['orchestrator', 'control-center', 'coredns', 'oci-registry', 'gitea', 'mcp-server', 'api-gateway'];

describe('platform/coredns', () => {
  const zone = parseZone(readFileSync(platform('coredns/zones/provisioning.zone'), 'utf8'));
  const byName = (name: string) => zone.records.filter((r) => r.name === name);

  it('is a zone for provisioning.local with an SOA whose serial is a date, and a name server that resolves', () => {
    expect(zone.origin).toBe('provisioning.local.');
    const [soa] = byName('provisioning.local.').filter((r) => r.type === 'SOA');
    expect(soa!.data.slice(0, 2)).toEqual(['ns1.provisioning.local.', 'admin.provisioning.local.']);
    expect(soa!.data[2]).toMatch(/^20\d{6}\d{2}$/);
    expect(soa!.data).toHaveLength(7);
    const ns = byName('provisioning.local.').find((r) => r.type === 'NS')!;
    expect(byName(ns.data[0]!).map((r) => r.type)).toEqual(['A']);
  });

  it('has an A record per service and the api, ui, git, registry aliases pointing at them', () => {
    for (const service of SERVICES) expect(byName(`${service}.provisioning.local.`).map((r) => r.type)).toEqual(['A']);
    const aliases = Object.fromEntries(zone.records.filter((r) => r.type === 'CNAME').map((r) => [r.name.split('.')[0]!, r.data[0]!]));
    expect(aliases).toEqual({
      api: 'api-gateway.provisioning.local.',
      ui: 'control-center.provisioning.local.',
      git: 'gitea.provisioning.local.',
      registry: 'oci-registry.provisioning.local.',
    });
    for (const target of Object.values(aliases)) expect(byName(target).map((r) => r.type)).toEqual(['A']);
  });

  it('serves that zone file, forwards the rest upstream, and answers health on the port the registry checks', () => {
    const corefile = readFileSync(platform('coredns/Corefile'), 'utf8');
    expect(corefile).toMatch(/provisioning\.local:53 \{\s+file \/etc\/coredns\/zones\/provisioning\.zone/);
    expect(corefile).toMatch(/forward \. \/etc\/resolv\.conf/);
    expect(corefile).toMatch(/health :8080/);
    const coredns = registry.services.find((s) => s.name === 'coredns')!;
    expect(coredns.deployment.docker!.ports).toContain('8054:8080');
    expect(coredns.health_check!.http!.url).toBe('http://127.0.0.1:8054/health');
    expect(coredns.deployment.docker!.volumes).toContain('../platform/coredns:/etc/coredns:ro');
  });
});

describe('platform/oci-registry', () => {
  it('is a Zot config storing under /var/lib/registry, serving HTTP on 5000, with search and UI', () => {
    const config = JSON.parse(readFileSync(platform('oci-registry/config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(config['distSpecVersion']).toMatch(/^1\.\d+\.\d+$/);
    expect(config['storage']).toMatchObject({ rootDirectory: '/var/lib/registry' });
    expect(config['http']).toMatchObject({ address: '0.0.0.0', port: '5000' });
    expect(config['extensions']).toMatchObject({ search: { enable: true }, ui: { enable: true } });
    const zot = registry.services.find((s) => s.name === 'oci-registry')!;
    expect(zot.deployment.docker!.ports).toEqual(['5000:5000']);
    expect(zot.deployment.docker!.volumes[0]).toBe('../platform/oci-registry/config.json:/etc/zot/config.json:ro');
  });
});
