/** The services table's pure parts: sorting (absent values last either way), shift-click ranges, port links; the detail's env as names only. */
import { describe, expect, it } from 'vitest';
import type { GraphService } from '@shared/contract/registry';
import type { ServiceState, ServiceStatus } from '@shared/contract/service-state';
import { definitionView, factsOf } from '../../../src-renderer/src/state/definition-view';
import { nextSort, portLinks, sortNames, toggledSelection } from '../../../src-renderer/src/state/service-table';
import { parseRegistry } from '@shared/model';

const status = (name: string, state: ServiceState, extra: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name,
  mode: 'binary',
  state,
  reason: '',
  since: 0,
  restarts: 0,
  ...extra,
});
const service = (name: string, extra: Partial<GraphService> = {}): GraphService => ({
  name,
  description: '',
  mode: 'binary',
  order: 100,
  autoStart: false,
  dependencies: [],
  conflicts: [],
  ports: [],
  ...extra,
});

describe('the services table', () => {
  const statuses = new Map(
    [
      status('a', 'healthy', { health: { ok: true, latencyMs: 30, message: '', at: 1 }, usage: { cpuPercent: 5, memoryBytes: 10, at: 1 } }),
      status('b', 'failed', { restarts: 3 }),
      status('c', 'healthy', { health: { ok: true, latencyMs: 10, message: '', at: 1 }, usage: { cpuPercent: 50, memoryBytes: 5, at: 1 } }),
    ].map((s) => [s.name, s]),
  );
  const services = new Map([service('a', { ports: ['8080'] }), service('b'), service('c', { autoStart: true })].map((s) => [s.name, s]));
  const names = ['a', 'b', 'c'];

  it('sorts by a column either way, a service without the value last both times', () => {
    expect(sortNames(names, { key: 'latency', descending: false }, statuses, services)).toEqual(['c', 'a', 'b']);
    expect(sortNames(names, { key: 'latency', descending: true }, statuses, services)).toEqual(['a', 'c', 'b']);
    expect(sortNames(names, { key: 'cpu', descending: true }, statuses, services)).toEqual(['c', 'a', 'b']);
    expect(sortNames(names, { key: 'name', descending: true }, statuses, services)).toEqual(['c', 'b', 'a']);
    // Trouble first; equal values keep the name order.
    expect(sortNames(names, { key: 'state', descending: false }, statuses, services)).toEqual(['b', 'a', 'c']);
    expect(sortNames(names, { key: 'autoStart', descending: false }, statuses, services)).toEqual(['c', 'a', 'b']);
  });

  it('turns a column around on a second click, starts another ascending', () => {
    expect(nextSort({ key: 'name', descending: false }, 'name')).toEqual({ key: 'name', descending: true });
    expect(nextSort({ key: 'name', descending: true }, 'cpu')).toEqual({ key: 'cpu', descending: false });
  });

  it('selects a shift-click range in the order shown, and clears one the same way', () => {
    const shown = ['c', 'a', 'd', 'b'];
    expect([...toggledSelection(new Set(['c']), shown, 'd', 'c', true)]).toEqual(['c', 'a', 'd']);
    expect([...toggledSelection(new Set(shown), shown, 'a', 'b', true)]).toEqual(['c']);
    expect([...toggledSelection(new Set(['c']), shown, 'b', 'c', false)]).toEqual(['c', 'b']);
  });

  it('links TCP ports to the loopback, not UDP ones', () => {
    expect(portLinks(['8080', '53/udp', '9000/tcp'])).toEqual([
      { name: '8080', url: 'http://127.0.0.1:8080/' },
      { name: '9000', url: 'http://127.0.0.1:9000/' },
    ]);
  });
});

describe('the detail view’s definition', () => {
  it('names the environment without its values: a reference as "from $X", a written value as set in the file', () => {
    const { registry } = parseRegistry(
      [
        '[services.api.deployment]',
        'mode = "binary"',
        'binary = { command = "node", env = { TOKEN = { env = "SOME_VAR" }, MODE = "literal-value" } }',
        '[services.api.health_check]',
        'type = "http"',
        'interval = "250ms"',
        '[services.api.health_check.http]',
        'url = "http://127.0.0.1:1/"',
        'headers = { Authorization = { env = "AUTH" } }',
      ].join('\n'),
      'services.toml',
    );
    const view = definitionView(registry!.services[0]!);
    expect(view.env).toEqual([
      { name: 'TOKEN', source: 'from $SOME_VAR' },
      { name: 'MODE', source: 'set in the file' },
    ]);
    expect(JSON.stringify(view)).not.toContain('literal-value');
    expect(view.runs.find((f) => f.key === 'command')?.text).toBe('node');
    expect(view.health).toContainEqual({ key: 'interval', text: '250ms' });
    expect(view.health).toContainEqual({ key: 'http.headers', text: 'Authorization (from $AUTH)' });
    expect(factsOf({ args: ['-e', 'x y'] })).toEqual([{ key: 'args', text: '["-e", "x y"]' }]);
  });
});
