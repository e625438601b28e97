/**
 * Groups (`labels`) through the real CLI and daemon: `platform start --label billing` starts exactly
 * the billing services and what they need; `platform stop --label billing` stops them with what
 * needs them; an unknown label is refused with the known ones and nothing runs. `services status
 * --json` carries each service's links, the derived one of its HTTP port among them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src-shared/contract/service-state';
import { privateHome, type Home } from '../support/cli-process';
import { freePort, nodeService } from '../support/engine-harness';

const homes: Home[] = [];
afterEach(async () => Promise.all(homes.splice(0).map((h) => h.cleanup())));

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const httpServer = (port: number) => ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`];
const httpCheck = (name: string, port: number) =>
  `[services.${name}.health_check]\ntype = "http"\ninterval = "200ms"\n[services.${name}.health_check.http]\nurl = "http://127.0.0.1:${port}/health"\n`;

async function labelledRegistry(): Promise<{ text: string; ledgerPort: number }> {
  const ledgerPort = await freePort();
  const text = [
    nodeService('db', sleeper),
    nodeService(
      'ledger',
      httpServer(ledgerPort),
      `labels = ["billing"]\ndependencies = ["db"]\nports = [${ledgerPort}]\nlinks = [{ name = "Admin", url = "http://127.0.0.1:${ledgerPort}/admin" }]`,
    ),
    httpCheck('ledger', ledgerPort),
    nodeService('invoices', sleeper, 'labels = ["billing", "infra"]'),
    nodeService('cache', sleeper, 'labels = ["infra"]'),
    nodeService('reports', sleeper, 'dependencies = ["ledger"]'),
    nodeService('web', sleeper, 'auto_start = true'),
  ].join('');
  return { text, ledgerPort };
}

async function states(h: Home): Promise<Record<string, string>> {
  const { code, stdout } = await h.run(['services', 'status', '--json']);
  expect(code).toBe(0);
  return Object.fromEntries((JSON.parse(stdout) as ServiceStatus[]).map((s) => [s.name, s.state]));
}

describe('platform operations by label', () => {
  it('start --label billing starts the billing services and what they need, nothing else; stop --label stops them and what needs them', async () => {
    const { text, ledgerPort } = await labelledRegistry();
    const h = privateHome(text);
    homes.push(h);

    const unknown = await h.run(['platform', 'start', '--label', 'biling']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no service is labelled 'biling' (did you mean 'billing'?); labels: billing, infra");
    expect(Object.values(await states(h)).every((state) => state === 'stopped')).toBe(true);

    const start = await h.run(['platform', 'start', '--label', 'billing']);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('platform start: 3 started');
    expect(await states(h)).toEqual({ db: 'healthy', ledger: 'healthy', invoices: 'healthy', cache: 'stopped', reports: 'stopped', web: 'stopped' });
    for (const name of ['cache', 'reports', 'web']) expect(h.processes(name)).toEqual([]);

    // The links: the registry's, then the one of the port its http check probes.
    const status = JSON.parse((await h.run(['services', 'status', '--json'])).stdout) as ServiceStatus[];
    expect(status.find((s) => s.name === 'ledger')?.links).toEqual([
      { name: 'Admin', url: `http://127.0.0.1:${ledgerPort}/admin` },
      { name: `port ${ledgerPort}`, url: `http://127.0.0.1:${ledgerPort}/`, derived: true },
    ]);
    expect(status.find((s) => s.name === 'db')?.links).toBeUndefined();

    expect((await h.run(['platform', 'start', 'reports'])).code).toBe(0);
    const stop = await h.run(['platform', 'stop', '--label', 'billing,infra']);
    expect(stop.code).toBe(0);
    // What needs a billing service (reports) stops with it; what they need (db) runs on.
    expect(await states(h)).toEqual({ db: 'healthy', ledger: 'stopped', invoices: 'stopped', cache: 'stopped', reports: 'stopped', web: 'stopped' });
  });
});
