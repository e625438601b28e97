/** `labels` and `links` of a service: located errors and warnings, and the links a face shows (HTTP ports derived). */
import { describe, expect, it } from 'vitest';
import { parseRegistry, serviceLinks } from '@shared/model';
import { binaryService, issuesOf } from '../../support/registry-text';

const only = (text: string) => {
  const { registry, issues } = parseRegistry(text, 'services.toml');
  if (!registry) throw new Error(JSON.stringify(issues));
  return registry.services[0]!;
};

describe('labels', () => {
  it('are spelled as service names: a bad one is a located error', () => {
    expect(issuesOf(binaryService('a', 'labels = ["billing", "Infra Team"]'))).toEqual([
      'services.toml:2:22 services.a.labels[1]: a label is lowercase letters, digits and dashes, starts with a letter, at most 63 characters',
    ]);
  });

  it('listed twice: a located warning, and the service has it once', () => {
    const text = binaryService('a', 'labels = ["billing", "infra", "billing"]');
    expect(issuesOf(text)).toEqual(["services.toml:2:31 services.a.labels[2]: warning: label 'billing' is listed twice"]);
    expect(only(text).labels).toEqual(['billing', 'infra']);
  });
});

describe('links', () => {
  it('http and https only, with a name: located errors otherwise', () => {
    expect(
      issuesOf(
        binaryService(
          'a',
          'links = [{ name = "UI", url = "javascript:alert(1)" }, { name = " ", url = "http://127.0.0.1:8080/" }, { name = "x", url = "file:///etc/passwd" }]',
        ),
      ),
    ).toEqual([
      'services.toml:2:25 services.a.links[0].url: an http:// or https:// URL',
      'services.toml:2:58 services.a.links[1].name: a link needs a name, e.g. "UI"',
      'services.toml:2:118 services.a.links[2].url: an http:// or https:// URL',
    ]);
  });

  it('two of one name: a located warning', () => {
    expect(issuesOf(binaryService('a', 'links = [{ name = "UI", url = "http://a.test/" }, { name = "UI", url = "http://b.test/" }]'))).toEqual([
      "services.toml:2:53 services.a.links[1].name: warning: a link named 'UI' is listed twice: name each link differently",
    ]);
  });
});

describe('serviceLinks', () => {
  const http = (url: string) => `[services.a.health_check]\ntype = "http"\n[services.a.health_check.http]\nurl = "${url}"\n`;

  it('the registry links, then the port its http check probes here', () => {
    const service = only(
      binaryService('a', 'ports = [8081, 9000]\nlinks = [{ name = "Docs", url = "https://docs.test/a" }]') + http('http://127.0.0.1:8081/health'),
    );
    expect(serviceLinks(service)).toEqual([
      { name: 'Docs', url: 'https://docs.test/a' },
      { name: 'port 8081', url: 'http://127.0.0.1:8081/', derived: true },
    ]);
  });

  it('a docker port mapping counts by its host port; https and localhost are kept from the check', () => {
    const docker = `[services.a]\nports = []\n[services.a.deployment]\nmode = "docker"\ndocker = { image = "x", ports = ["8054:8080"] }\n`;
    expect(serviceLinks(only(docker + http('https://localhost:8054/health')))).toEqual([{ name: 'port 8054', url: 'https://localhost:8054/', derived: true }]);
  });

  it('nothing derived without an http check on one of its ports, on this machine; no twin of a written link', () => {
    expect(serviceLinks(only(binaryService('a', 'ports = [5432]')))).toEqual([]);
    expect(serviceLinks(only(binaryService('a', 'ports = [8081]') + http('http://127.0.0.1:9999/health')))).toEqual([]);
    expect(serviceLinks(only(binaryService('a', 'ports = [8081]') + http('http://10.0.0.5:8081/health')))).toEqual([]);
    expect(
      serviceLinks(only(binaryService('a', 'ports = [8081]\nlinks = [{ name = "UI", url = "http://127.0.0.1:8081" }]') + http('http://127.0.0.1:8081/health'))),
    ).toEqual([{ name: 'UI', url: 'http://127.0.0.1:8081' }]);
  });
});
