/**
 * Every health check's result reaches the faces, not only the ones that change a state: the check
 * answers as slowly as the test says, and each new latency is pushed in a state event (no
 * timeline entry: the state did not change) while the service stays healthy.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import type { StateEvent } from '@shared/contract/service-state';
import { harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open } = harnesses();

it('pushes each check result, with its latency, while the state stays healthy', async () => {
  let delayMs = 0;
  const server = createServer((_, response) => void setTimeout(() => response.end('ok'), delayMs));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const check = `[services.api.health_check]\ntype = "http"\ninterval = "200ms"\ntimeout = "1s"\nhttp = { url = "http://127.0.0.1:${port}/" }\n`;
    const h = await open(`${nodeService('api', ['-e', 'setInterval(() => {}, 1000)'])}${check}`);
    const pushed: StateEvent[] = [];
    h.engine.subscribe((event) => pushed.push(event));
    expect((await h.engine.start('api')).state).toBe('healthy');
    // Slower answers, one after the other: each one's latency arrives by a check, after it was asked for.
    for (const delay of [150, 300]) {
      const from = pushed.length;
      delayMs = delay;
      const seen = await waitFor(() => pushed.slice(from).find((e) => (e.status.health?.latencyMs ?? 0) >= delay), 10_000);
      expect(seen.status.state).toBe('healthy');
      expect(seen.transition).toBeUndefined();
    }
    expect(h.engine.events({ service: 'api', limit: 100 }).map((e) => e.to)).toEqual(['starting', 'healthy']);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});
