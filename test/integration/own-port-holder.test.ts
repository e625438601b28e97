/**
 * Preflight names a port's holder that is one of this home's own processes (found by its cgroup, else
 * its markers) as such: a leftover or escaped daemon of a service, not a stranger.
 */
import { describe, expect, it } from 'vitest';
import { PreflightError } from '../../src-main/core/preflight/preflight';
import { freePort, harnesses, nodeService } from '../support/engine-harness';

const { open } = harnesses();

describe('a port held by our own process', () => {
  it('is named with the service that started it', async () => {
    const port = await freePort();
    const listen = `require('net').createServer().listen(${port}, '127.0.0.1')`;
    const h = await open(nodeService('web', ['-e', listen]) + nodeService('proxy', ['-e', 'setInterval(() => {}, 1000)'], `ports = [${port}]`));
    const web = await h.engine.start('web');
    expect(web.state).toBe('healthy');
    const refused = await h.engine.start('proxy').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PreflightError);
    expect((refused as PreflightError).problems).toEqual([
      `port ${port}/tcp is taken by pid ${web.pid} (${process.execPath} -e ${listen}), a process of service web started from this home`,
    ]);
  });
});
