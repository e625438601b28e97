/**
 * Stopping an outside process that holds a port a registry service needs (issue 20, item 7), through
 * a real owner and real listeners: Preflight offers `stop-process` with the holder's pid, start time
 * and command name; `stopPortHolder` sends SIGTERM and says whether it ended. It refuses — signalling
 * nothing, the process keeps running — a process of another user (`nobody`), a pid whose start time
 * is not the one offered (a reused pid), a port no registry service declares, and the manager
 * itself; a holder that ignores SIGTERM is reported as still running, never killed harder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Readiness, StopProcessRemedy } from '@shared/contract/health';
import { identify } from '../../src-main/core/process/process-identity';
import { listensOn } from '../../src-main/core/preflight/port-owners';
import type { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome, type Home } from '../support/cli-process';
import { alive, freePort, nodeService, waitFor } from '../support/engine-harness';
import { ownerOf } from '../support/home-client';

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const httpServer = (port: number, asNobody = false): ChildProcess => {
  const python = ['/usr/bin/python3', '-m', 'http.server', String(port), '--bind', '127.0.0.1'];
  const [command, ...args] = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...python] : python;
  return spawn(command!, args, { cwd: '/tmp', stdio: 'ignore' });
};
/** A node listener that outlives SIGTERM. */
const stubborn = (port: number): ChildProcess =>
  spawn(process.execPath, ['-e', `process.on('SIGTERM', () => {}); require('node:net').createServer().listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });

let home: Home;
let client: OwnerClient;
const ports: Record<'mine' | 'nobodys' | 'reused' | 'stubborn' | 'unneeded', number> = { mine: 0, nobodys: 0, reused: 0, stubborn: 0, unneeded: 0 };
const holders: ChildProcess[] = [];

const listening = async (child: ChildProcess, port: number): Promise<ChildProcess> => {
  holders.push(child);
  await waitFor(() => child.pid !== undefined && listensOn(child.pid, port));
  return child;
};
const rowOf = async (name: string): Promise<Readiness> => (await client.call('readiness', {})).find((row) => row.name === name)!;
const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.signalCode) : child.once('exit', (_c, s) => resolve(s)),
  );
const holderOf = (child: ChildProcess, port: number) => ({ port, protocol: 'tcp' as const, pid: child.pid!, startTime: identify(child.pid!)!.startTime });

beforeAll(async () => {
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
  home = privateHome(
    [
      nodeService('mine', sleeper, `ports = [${ports.mine}]`),
      nodeService('nobodys', sleeper, `ports = [${ports.nobodys}]`),
      nodeService('reused', sleeper, `ports = [${ports.reused}]`),
      nodeService('stubborn', sleeper, `ports = [${ports.stubborn}]`),
    ].join('\n'),
  );
  client = await ownerOf(home);
}, 60_000);
afterAll(async () => {
  holders.forEach((child) => child.kill('SIGKILL'));
  client?.close();
  await home?.cleanup();
});

describe('stopping an outside port holder', () => {
  it('offers a process of our own user, and stopping it frees the port', async () => {
    const holder = await listening(httpServer(ports.mine), ports.mine);
    const row = await rowOf('mine');
    expect(row.verdict).toBe('blocked');
    const offer = row.remedies?.find((r): r is StopProcessRemedy => r.action === 'stop-process');
    expect(offer).toEqual({ action: 'stop-process', ...holderOf(holder, ports.mine), command: 'python3' });

    const gone = exited(holder);
    const stop = await client.call('stopPortHolder', offer!);
    expect(stop).toEqual({
      pid: holder.pid,
      port: ports.mine,
      command: 'python3',
      ended: true,
      message: `stopped python3 (pid ${holder.pid}), which held port ${ports.mine}/tcp (needed by mine)`,
    });
    expect(await gone).toBe('SIGTERM');
    expect(await rowOf('mine')).toEqual({ name: 'mine', verdict: 'would start', reasons: [] });
  });

  it("neither offers nor stops another user's process", async () => {
    const holder = await listening(httpServer(ports.nobodys, true), ports.nobodys);
    const row = await rowOf('nobodys');
    expect(row.reasons.some((r) => r.startsWith(`port ${ports.nobodys}/tcp is taken by pid ${holder.pid}`))).toBe(true);
    expect(row.remedies).toBeUndefined();
    // Asked all the same (a hand-made request, as a hostile page behind the web host could send).
    await expect(client.call('stopPortHolder', holderOf(holder, ports.nobodys))).rejects.toThrow(
      `refused to stop pid ${holder.pid}: it runs as another user (uid 65534); only that user (or an administrator, by hand) may stop it`,
    );
    expect(alive(holder.pid!) && listensOn(holder.pid!, ports.nobodys)).toBe(true);
  });

  it('refuses a pid whose start time is not the one offered (a reused pid)', async () => {
    const holder = await listening(httpServer(ports.reused), ports.reused);
    const seen = holderOf(holder, ports.reused);
    await expect(client.call('stopPortHolder', { ...seen, startTime: String(Number(seen.startTime) - 1) })).rejects.toThrow(
      `refused to stop pid ${holder.pid}: that pid now names another process (the one preflight saw has ended); check again`,
    );
    expect(alive(holder.pid!)).toBe(true);
  });

  it('refuses a port no registry service needs, and the manager itself', async () => {
    const holder = await listening(httpServer(ports.unneeded), ports.unneeded);
    await expect(client.call('stopPortHolder', holderOf(holder, ports.unneeded))).rejects.toThrow(
      `refused: no service of the registry needs port ${ports.unneeded}/tcp; only a process holding such a port is stopped`,
    );
    expect(alive(holder.pid!)).toBe(true);
    // A registry port claimed for the owner's own pid.
    const owner = (await client.call('hello')).pid;
    await expect(client.call('stopPortHolder', { port: ports.reused, pid: owner, startTime: identify(owner)!.startTime })).rejects.toThrow(
      `refused to stop pid ${owner}: it is this manager itself`,
    );
    expect(alive(owner)).toBe(true);
  });

  it('says so when the holder outlives SIGTERM, and sends nothing stronger', async () => {
    const holder = await listening(stubborn(ports.stubborn), ports.stubborn);
    const offer = (await rowOf('stubborn')).remedies?.find((r) => r.action === 'stop-process');
    expect(offer).toMatchObject({ pid: holder.pid, command: 'node' });
    const stop = await client.call('stopPortHolder', offer as StopProcessRemedy);
    expect(stop).toMatchObject({ pid: holder.pid, ended: false });
    expect(stop.message).toContain(`it may ignore SIGTERM: stop it yourself (kill -9 ${holder.pid})`);
    expect(alive(holder.pid!) && listensOn(holder.pid!, ports.stubborn)).toBe(true);
  }, 30_000);
});
