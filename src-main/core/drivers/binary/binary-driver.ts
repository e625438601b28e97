/**
 * Native processes. Each service runs in its own session and process group, with its stdout and
 * stderr appended straight to files, so it outlives the manager that started it; markers in its
 * environment let any later manager find it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync } from 'node:fs';
import type { ServiceDefinition } from '@shared/model';
import { managedProcesses, markers, type ManagedProcess } from '../../process/managed-processes';
import { identify, isAlive, startedAt } from '../../process/process-identity';
import { terminate } from '../../process/terminate';
import type { ProcessRecord } from '../../state/service-record';
import { StartError, type Adoption, type ExitReport, type RunContext, type RunningService, type ServiceDriver } from '../driver';
import { launchSpec } from './launch-spec';

/** How often an adopted process (not our child, so no exit event) is checked. */
const ADOPTED_POLL_MS = 250;

export class BinaryDriver implements ServiceDriver {
  /** Our own children, by instance: unreferenced so a manager can exit while they run. */
  readonly #children = new Map<string, ChildProcess>();

  async start(service: ServiceDefinition, instance: string, configHash: string, context: RunContext): Promise<RunningService> {
    const spec = launchSpec(service, context);
    if (!existsSync(spec.cwd)) throw new StartError(`working directory missing: ${spec.cwd}`);
    const stdout = openSync(context.logs.rawStdout, 'a', 0o600);
    const stderr = openSync(context.logs.rawStderr, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: { ...spec.env, ...markers(context.home, service.name, instance) },
        shell: spec.shell,
        detached: true,
        stdio: ['ignore', stdout, stderr],
      });
      const exited = new Promise<ExitReport>((resolve) => child.once('exit', (code, signal) => resolve(describeExit(code, signal))));
      await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => Promise.reject(error as Error))]);
      child.unref();
      this.#children.set(instance, child);
      void exited.then(() => this.#children.delete(instance));
      const identity = identify(child.pid!);
      const record: ProcessRecord = {
        instance,
        pid: child.pid!,
        // An instant exit can beat us to /proc; the exit promise then tells the story.
        startTime: identity?.startTime ?? 'exited',
        pgid: child.pid!,
        command: [spec.command, ...spec.args],
        configHash,
        startedAt: Date.now(),
      };
      return { process: record, exited };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new StartError(`command not found: ${spec.command}${spec.command.includes('/') ? '' : ' (not on PATH)'}`);
      if (code === 'EACCES') throw new StartError(`not executable: ${spec.command}`);
      throw error;
    } finally {
      closeSync(stdout);
      closeSync(stderr);
    }
  }

  async adopt(service: ServiceDefinition, record: ProcessRecord | undefined, configHash: string, context: RunContext): Promise<Adoption> {
    const found = managedProcesses(context.home).filter((p) => p.service === service.name);
    const run =
      (record && watchAdopted(record)) ||
      found
        .filter((p) => p.pid === p.pgid)
        .map((p) => watchAdopted(leaderRecord(p, configHash)))
        .find((adopted) => adopted !== undefined);
    const notes: string[] = [];
    for (const instance of new Set(found.map((p) => p.instance))) {
      if (instance === run?.process.instance) continue;
      const leader = found.find((p) => p.instance === instance && p.pid === p.pgid) ?? found.find((p) => p.instance === instance)!;
      await terminate({ home: context.home, instance, leader }, service.startup.stop_timeout);
      notes.push(`stopped a duplicate instance ${instance} (pid ${leader.pid})`);
    }
    return { ...(run ? { run } : {}), notes };
  }

  stop(record: ProcessRecord, service: ServiceDefinition, context: RunContext) {
    // While we stop it, we wait for its exit event: hold the event loop open until it comes.
    this.#children.get(record.instance)?.ref();
    return terminate({ home: context.home, instance: record.instance, leader: leaderOf(record) }, service.startup.stop_timeout);
  }

  /** Whatever its main process left running in its group or by its markers goes too: no orphans. */
  async reap(record: ProcessRecord, context: RunContext): Promise<void> {
    await terminate({ home: context.home, instance: record.instance, leader: leaderOf(record) }, 1_000);
  }
}

/** Watches a process an earlier manager started (not our child: polled), if it still runs. */
function watchAdopted(record: ProcessRecord): RunningService | undefined {
  if (record.pid === undefined) return undefined;
  const identity = leaderOf(record);
  if (!isAlive(identity)) return undefined;
  const exited = new Promise<ExitReport>((resolve) => {
    const timer = setInterval(() => {
      if (isAlive(identity)) return;
      clearInterval(timer);
      resolve({ code: null, signal: null, reason: 'exited (code unknown: started by an earlier manager)' });
    }, ADOPTED_POLL_MS);
    timer.unref();
  });
  return { process: record, exited };
}

/** The process a binary record names (binary records always have a pid; cluster workloads have none). */
function leaderOf(record: ProcessRecord): { pid: number; startTime: string } {
  if (record.pid === undefined) throw new Error(`record of ${record.instance} names no process`);
  return { pid: record.pid, startTime: record.startTime };
}

/** A record rebuilt from a process found by its markers (its state file was lost). */
function leaderRecord(found: ManagedProcess, configHash: string): ProcessRecord {
  const started = startedAt(found) ?? Date.now();
  return { instance: found.instance, pid: found.pid, startTime: found.startTime, pgid: found.pid, command: [], configHash, startedAt: started };
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): ExitReport {
  return { code, signal, reason: signal ? `killed by ${signal}` : `exited with code ${code}` };
}
