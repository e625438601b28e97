/**
 * The marker scan: stops share one /proc scan between their polls, but never report a process that
 * has exited since, and adoption always sees processes started since. The clock is frozen so that the
 * shared scan is always reused: the case a fast machine hits by chance.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { instanceMembers, managedProcesses, markers } from '../../src-main/core/process/managed-processes';
import { alive, waitFor } from '../support/engine-harness';
import { tempDir } from '../support/cli-run';

const children: ChildProcess[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** `sleep 1000` carrying the markers of `instance`; resolves once its environment holds them. */
async function marked(home: string, instance: string): Promise<number> {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore', env: { ...process.env, ...markers(home, 'svc', instance) } });
  children.push(child);
  const pid = child.pid!;
  await waitFor(() => readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`=${instance}\u0000`));
  return pid;
}

it('reports no process that exited since the shared scan, and a fresh scan finds one started since', async () => {
  const home = tempDir();
  const first = await marked(home, 'one');
  vi.useFakeTimers({ toFake: ['performance'] });
  expect(instanceMembers(home, 'one').map((p) => p.pid)).toEqual([first]);
  process.kill(first, 'SIGKILL');
  await waitFor(() => !alive(first));
  expect(instanceMembers(home, 'one')).toEqual([]);
  const second = await marked(home, 'two');
  expect(managedProcesses(home).map((p) => p.pid)).toEqual([second]);
});
