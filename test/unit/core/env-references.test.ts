/** Which names a service's env references read: everywhere a reference is resolved, and nowhere else. */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { envReferences } from '../../../src-main/core/drivers/env-references';

describe('env references', () => {
  it("are found in env tables, check headers and remote tokens, never in a helm chart's literal values", () => {
    const text = [
      '[services.chart.deployment]\nmode = "kubernetes"\nkubernetes = { helm = { chart = "./c", values = { db = { password = { env = "CHART_DATA" } } } } }',
      '[services.chart.health_check]\ntype = "http"\nhttp = { url = "http://127.0.0.1:1/", headers = { X = { env = "HEADER_TOKEN" } } }',
      '[services.api.deployment]\nmode = "remote"\nremote = { url = "https://api.example/", token = { env = "API_TOKEN" } }',
      '',
    ].join('\n');
    const { registry, issues } = parseRegistry(text, 's.toml');
    expect(issues).toEqual([]);
    // Before: CHART_DATA counted as a reference though helm gets `{ env = "CHART_DATA" }` as written,
    // so a start was refused "not set" and the caller's value of it was sent along.
    expect(registry!.services.flatMap(envReferences)).toEqual([
      { name: 'HEADER_TOKEN', where: 'services.chart.health_check.http.headers.X' },
      { name: 'API_TOKEN', where: 'services.api.deployment.remote.token' },
    ]);
  });
});
