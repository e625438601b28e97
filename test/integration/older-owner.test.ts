/**
 * A CLI newer than the daemon that owns the home: an owner from before `warnings` existed answers it
 * "unknown method", and `services status` / `platform status` still work. The owner here is a real
 * socket server speaking the contract as such an older daemon did.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { privateHome } from '../support/cli-process';
import { join } from 'node:path';

let server: Server | undefined;
afterEach(() => server?.close());

/** Answers hello and status; every other method is one it does not know. */
function olderOwner(home: string, registry: string): Promise<void> {
  server = createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const { id, method } = JSON.parse(buffered.slice(0, end)) as { id: number; method: string };
        buffered = buffered.slice(end + 1);
        const answer =
          method === 'hello'
            ? { id, ok: true, result: { pid: process.pid, home, registry } }
            : method === 'status'
              ? { id, ok: true, result: [] }
              : { id, ok: false, error: { name: 'ProtocolError', message: `unknown method '${method}'` } };
        socket.write(`${JSON.stringify(answer)}\n`);
      }
    });
  });
  return new Promise((resolve) => server!.listen(daemonSocketPath(home), resolve));
}

describe('an older owner', () => {
  it('without a warnings method still answers services status and platform status', async () => {
    const h = privateHome('[services.web.deployment]\nmode = "binary"\nbinary = { command = "node" }\n');
    mkdirSync(join(h.home, 'services'), { recursive: true, mode: 0o700 });
    await olderOwner(h.home, h.registry);
    // Before: "unknown method 'warnings'" failed both commands.
    const status = await h.run(['services', 'status']);
    expect(status, status.stderr).toMatchObject({ code: 0 });
    const platform = await h.run(['platform', 'status', '--json']);
    expect(platform, platform.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(platform.stdout)).toMatchObject({ services: [], warnings: [] });
  });
});
