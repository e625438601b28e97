/**
 * Every frame is bounded: a 200 MB line without a newline on the owner socket is refused once it
 * passes MAX_FRAME_BYTES and costs the daemon no memory, while it answers everyone (that connection
 * too, after the next newline); the line reader under it keeps lines whole; answers too large become
 * errors; Electron IPC refuses what the socket would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readLines } from '../../src-main/core/read-lines';
import type { ContractHandlers, SessionSources } from '../../src-main/daemon/contract-session';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { boundedFrame, MAX_FRAME_BYTES } from '../../src-main/daemon/frame-limit';
import { openOwnerSocket, OwnerClient } from '../../src-main/daemon/owner-client';
import { bridgeContract, CHANNELS, type IpcEventLike } from '../../src-main/electron/ipc-bridge';
import { DEMO, nodeService, waitFor } from '../support/engine-harness';
import { privateHome, type Home } from '../support/cli-process';

const homes: Home[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.cleanup();
});

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe('the owner socket', () => {
  it('refuses a 200 MB line without a newline, stays small and answers everyone', async () => {
    const h = privateHome(nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web']));
    homes.push(h);
    expect((await h.run(['services', 'status'])).code).toBe(0);
    const daemon = (await h.daemonPid())!;
    const socket = await openOwnerSocket(daemonSocketPath(h.home));
    const answers: { id: number; ok: boolean; error?: { message: string } }[] = [];
    readLines(socket, (line) => answers.push(JSON.parse(line) as never));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    for (let sent = 0; sent < 200; sent++) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    // Refused while the line is still open: before, the daemon kept all of it (and 600 MB crashed it).
    const refusal = await waitFor(() => answers[0]);
    expect(refusal).toMatchObject({ id: -1, ok: false, error: { message: 'a request over 4 MiB was refused (the most one message may carry)' } });
    expect(rssBytes(daemon)).toBeLessThan(150 * 1024 * 1024);
    const other = await OwnerClient.connect(daemonSocketPath(h.home));
    expect((await other.call('hello')).pid).toBe(daemon);
    other.close();
    // The same connection is in step again after the long line's newline.
    socket.write('\n{"id":7,"method":"hello","params":{}}\n');
    expect(await waitFor(() => answers.find((a) => a.id === 7))).toMatchObject({ ok: true, result: { pid: daemon } });
    expect(answers).toHaveLength(2);
    socket.destroy();
  }, 60_000);
});

describe('a client with a request over the bound', () => {
  it('gets its own error at once and goes on working', async () => {
    const h = privateHome(nodeService('web', [join(DEMO, 'service.mjs'), '--name', 'web']));
    homes.push(h);
    expect((await h.run(['services', 'status'])).code).toBe(0);
    const client = await OwnerClient.connect(daemonSocketPath(h.home));
    // Before: the owner's refusal (id -1) matched no call while hello probes kept it alive: it waited forever.
    await expect(client.call('validateRegistry', { text: 'x'.repeat(MAX_FRAME_BYTES) })).rejects.toMatchObject({
      name: 'ProtocolError',
      message: 'a request over 4 MiB was refused (the most one message may carry)',
    });
    expect((await client.call('hello')).pid).toBe(await h.daemonPid());
    client.close();
  }, 30_000);
});

describe('the line reader', () => {
  it('keeps lines whole across chunks and drops only the line over its bound', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    const over: number[] = [];
    const reader = readLines(input, (line) => lines.push(line), { maxLineBytes: 8, onOverLimit: (bytes) => over.push(bytes) });
    const closed = new Promise((resolve) => reader.once('close', () => resolve(undefined)));
    const euro = Buffer.from('€'); // three bytes, split across writes
    input.write(Buffer.concat([Buffer.from('ab'), euro.subarray(0, 1)]));
    input.write(Buffer.concat([euro.subarray(1), Buffer.from('\r\n0123456')]));
    input.write('789abcdef');
    input.write('ghi\nlast');
    input.end();
    await closed;
    expect(lines).toEqual(['ab€', 'last']);
    expect(over).toEqual([16]);
  });
});

describe('answers and pushes over the bound', () => {
  it('become an error for an answer, and nothing for a push', () => {
    const big = 'x'.repeat(MAX_FRAME_BYTES);
    expect(boundedFrame({ id: 3, ok: true, result: big })?.message).toMatchObject({
      id: 3,
      ok: false,
      error: { name: 'ProtocolError', message: expect.stringContaining('ask for less') },
    });
    expect(boundedFrame({ logs: { service: 'web', lines: [big] } })).toBeUndefined();
    expect(boundedFrame({ id: 4, ok: true, result: 'small' })?.json).toBe('{"id":4,"ok":true,"result":"small"}');
  });
});

describe('Electron IPC', () => {
  it('refuses a request the socket would refuse, and answers the next one', async () => {
    let listener: ((event: IpcEventLike, message: unknown) => void) | undefined;
    const received: unknown[] = [];
    const event: IpcEventLike = {
      sender: { id: 1, send: (channel, message) => channel === CHANNELS.message && received.push(message), once: () => undefined },
      senderFrame: { url: 'app://renderer' },
    };
    const handlers = { hello: async () => ({ pid: 1, home: '/h', registry: '/r' }) } as unknown as ContractHandlers;
    const sources: SessionSources = { engine: { subscribe: () => () => undefined }, registry: { watch: () => () => undefined } };
    bridgeContract(
      { on: (_, l) => (listener = l), removeAllListeners: () => undefined },
      sources,
      handlers,
      () => true,
      () => undefined,
    );
    listener!(event, { id: 1, method: 'validateRegistry', params: { text: 'x'.repeat(MAX_FRAME_BYTES) } });
    listener!(event, { id: 2, method: 'hello', params: {} });
    await waitFor(() => received.length === 2);
    expect(received).toEqual([
      { id: -1, ok: false, error: { name: 'ProtocolError', message: 'a request over 4 MiB was refused (the most one message may carry)' } },
      { id: 2, ok: true, result: { pid: 1, home: '/h', registry: '/r' } },
    ]);
  });
});
