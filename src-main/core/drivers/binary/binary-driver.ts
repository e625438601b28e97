/**
 * Native processes. Each service runs in its own session and process group, with its stdout and
 * stderr piped to its log shim (which appends them to the raw files, capped), or on a terminal held
 * by its pty shim when it is interactive (service-output.ts), so it outlives the manager that started it. Where the machine allows, it is placed in a cgroup of its own before it
 * can fork (cgroup-launch.ts), which holds its every descendant; else its process tree is recorded
 * as it is seen (process-tree.ts); markers in its environment are the last resort for finding it
 * again. A launcher that exits 0 while its cgroup (or tree) still holds processes is a forking
 * service: the run goes on (forking-run.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import type { ServiceDefinition } from '@shared/model';
import { instanceLeader, managedProcesses, markers, type ManagedProcess } from '../../process/managed-processes';
import { compareBirth, identify, isAlive, pidHolder, realUidOf, startedAt, type ProcessIdentity } from '../../process/process-identity';
import { daemonsOf, exeOf, sampleTrees, trackedMembers, trackTree, treeMembers, untrackTree } from '../../process/process-tree';
import { treeCounters } from '../../usage/read-usage';
import type { UsageTarget } from '../../usage/usage-sampler';
import { terminate } from '../../process/terminate';
import { enterCgroups, GATE_STDIO, launchInCgroup } from '../../process/cgroup-launch';
import { createInstanceCgroup, findInstanceCgroup, removeInstanceCgroup } from '../../process/service-cgroup';
import { applyResources, killedForMemory } from '../../process/cgroup-resources';
import { binaryProblems } from './binary-preflight';
import { cgroupMembers, followForking, forkingNote, wasForking, watchForking, type MembersOf } from './forking-run';
import type { ProcessRecord } from '../../state/service-record';
import { StartError, type Adoption, type ExitReport, type RunContext, type RunningService, type ServiceDriver } from '../driver';
import { startServiceOutput } from './service-output';
import { commandSpec, launchSpec, type LaunchSpec } from './launch-spec';
import { findOnPath } from '../../preflight/find-on-path';
import { runPreStart, startPostStart, stopHooks } from './service-hooks';
import { openLocalTerminal } from '../../terminals/local-terminal';
import type { TerminalProcess, TerminalRequest } from '../../terminals/terminal-process';

/** How often an adopted process (not our child, so no exit event) is checked. */
const ADOPTED_POLL_MS = 250;
/** After the service ended, how long its log shim may take to write what was still in the pipes. */
const SHIM_DRAIN_MS = 1_000;

export class BinaryDriver implements ServiceDriver {
  /** Our own children, by instance: unreferenced so a manager can exit while they run. */
  readonly #children = new Map<string, ChildProcess>();

  async start(service: ServiceDefinition, instance: string, configHash: string, context: RunContext): Promise<RunningService> {
    const spec = launchSpec(service, context);
    if (!existsSync(spec.cwd)) throw new StartError(`working directory missing: ${spec.cwd}`);
    await runPreStart(service, spec, context);
    const output = await startServiceOutput(service, spec, instance, context);
    const { drained } = output;
    const cgroup = createInstanceCgroup(context.home, service.name, instance);
    let child: ChildProcess;
    try {
      // Through the launcher, the command is exec'd by a shell: what spawn would say (ENOENT, EACCES) is asked first.
      const problem = cgroup ? (await binaryProblems(service, context))[0] : undefined;
      if (problem) throw new StartError(problem);
      const cgroups = cgroup ? limitedCgroups(service, cgroup) : [];
      const shellArgv = spec.shell ? ['/bin/sh', '-c', [spec.command, ...spec.args].join(' ')] : [spec.command, ...spec.args];
      // On a terminal, a shell command is spelt out: ttyLaunch wraps an argv, not spawn's `shell`.
      const direct: [string, string[]] = service.interactive ? [shellArgv[0]!, shellArgv.slice(1)] : [spec.command, [...spec.args]];
      const [file, args] = output.launch(cgroup ? launchInCgroup(shellArgv[0]!, shellArgv.slice(1)) : direct);
      child = spawn(file, args, {
        cwd: spec.cwd,
        env: { ...spec.env, ...markers(context.home, service.name, instance) },
        shell: !cgroup && !service.interactive && spec.shell,
        detached: true,
        // Its output goes to a shim (log or pty) that caps what reaches the disk and drains it while no manager runs.
        stdio: cgroup ? [...output.stdio, GATE_STDIO] : output.stdio,
        // Straight into its user (setgid, setuid, no supplementary groups): no wrapper process; the launcher is moved into its cgroup by us.
        ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
      });
      // Filled once spawned: a forking launcher's exit makes it name the daemon; without a cgroup, what tells the daemon is kept too.
      const run: LaunchedRun = {};
      const launched = new Promise<ExitReport>((resolve) =>
        child.once('exit', (code, signal) => resolve(outOfMemory(service, cgroup, describeExit(code, signal)))),
      );
      // A launcher that exits 0 leaving processes in its cgroup forked its daemon: the run is that daemon's.
      const ended = launched.then((report) => {
        const forked =
          run.record && report.code === 0 && followForking(context.home, run.record, forkedMembers(context.home, service.name, cgroup, run), spec.pidFile);
        return forked ? forked.then((end) => outOfMemory(service, cgroup, end)) : report;
      });
      // Its last output reaches the raw file when the shim ends; a descendant holding the pipes must not hold up the exit.
      const exited = ended.then(async (report) => (await settledWithin(drained, SHIM_DRAIN_MS), report));
      await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => Promise.reject(error as Error))]);
      if (cgroup) enterLaunched(child, cgroups);
      child.unref();
      this.#children.set(instance, child);
      void launched.then(() => this.#children.delete(instance));
      const identity = identify(child.pid!);
      const record: ProcessRecord = (run.record = {
        instance,
        pid: child.pid!,
        // An instant exit can beat us to /proc; the exit promise then tells the story.
        startTime: identity?.startTime ?? 'exited',
        pgid: child.pid!,
        command: [spec.command, ...spec.args],
        configHash,
        startedAt: context.now(),
      });
      // A launcher that forked and exited already (a loaded machine) is a zombie until we reap it: its pid and start time still tell its forks.
      const launcher = cgroup ? undefined : pidHolder(child.pid!);
      if (launcher) {
        run.launcher = {
          identity: launcher,
          exe: exeOf(launcher.pid) ?? resolvedCommand(spec),
          uid: realUidOf(launcher.pid) ?? spec.runAs?.uid ?? process.getuid?.(),
        };
        trackTree(context.home, service.name, instance, [launcher]);
        void exited.then(() => untrackTree(context.home, instance));
      }
      startPostStart(service, spec, context);
      return { process: record, exited, ...(launcher ? { usage: treeUsage(context.home, instance) } : {}) };
    } catch (error) {
      if (cgroup) removeInstanceCgroup(cgroup);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new StartError(`command not found: ${spec.command}${spec.command.includes('/') ? '' : ' (not on PATH)'}`);
      if (code === 'EACCES') throw new StartError(`not executable: ${spec.command}`);
      throw error;
    } finally {
      // The service holds its own copies; once they close, the shim ends.
      output.release();
    }
  }

  /**
   * Takes over only the recorded instance's own leader (pid + start time): a descendant that left its
   * group (setsid) is never taken for it. When that leader died while no owner ran, what it left
   * running is stopped and no run is returned: the supervisor handles the service as exited. With no
   * record, the leader is recovered from the markers (recoveredLeader). Every other instance is stopped.
   */
  async adopt(service: ServiceDefinition, record: ProcessRecord | undefined, configHash: string, context: RunContext): Promise<Adoption> {
    const found = managedProcesses(context.home).filter((p) => p.service === service.name);
    const instances = [...new Set(found.map((p) => p.instance))];
    const run = record
      ? watchAdopted(record, context.home, commandSpec(service, context).pidFile, service.name)
      : instances
          .map((instance) => recoveredLeader(found.filter((p) => p.instance === instance)))
          .map((leader) => leader && watchAdopted(leaderRecord(leader, configHash, context.now)))
          .find((adopted) => adopted !== undefined);
    const notes: string[] = [];
    for (const instance of instances) {
      if (instance === run?.process.instance) continue;
      const members = found.filter((p) => p.instance === instance);
      const pids = members.map((p) => p.pid).join(', ');
      if (instance === record?.instance) {
        rmSync(forkingNote(context.home, instance), { force: true });
        await terminate({ home: context.home, instance, leader: leaderOf(record) }, service.startup.stop_timeout, stopSignalOf(service));
        notes.push(`its process (pid ${record.pid}) had exited while no manager ran; stopped what it left running (pid ${pids})`);
        continue;
      }
      const leader = instanceLeader(found, instance)!;
      await terminate({ home: context.home, instance, leader }, service.startup.stop_timeout, stopSignalOf(service));
      if (recoveredLeader(members)) notes.push(`stopped a duplicate instance ${instance} (pid ${leader.pid})`);
      else notes.push(`stopped what instance ${instance} left running after its process had exited (pid ${pids})`);
    }
    return { ...(run ? { run } : {}), notes };
  }

  /** `pre_stop`, `stop_command`, then the stop signal, all within `stop_timeout`; then the whole tree is killed. */
  async stop(record: ProcessRecord, service: ServiceDefinition, context: RunContext) {
    // While we stop it, we wait for its exit event: hold the event loop open until it comes.
    this.#children.get(record.instance)?.ref();
    const deadline = Date.now() + service.startup.stop_timeout;
    await stopHooks(service, context, deadline);
    const left = Math.max(0, deadline - Date.now());
    return terminate({ home: context.home, instance: record.instance, leader: leaderOf(record) }, left, stopSignalOf(service));
  }

  /** Whatever its main process left running in its group or by its markers goes too: no orphans. */
  async reap(record: ProcessRecord, context: RunContext): Promise<void> {
    await terminate({ home: context.home, instance: record.instance, leader: leaderOf(record) }, 1_000);
  }

  /** A shell (or the command) in its working directory, with its environment (env references read) and account. */
  exec(_record: ProcessRecord, service: ServiceDefinition, context: RunContext, request: TerminalRequest): Promise<TerminalProcess> {
    const spec = launchSpec(service, context);
    return openLocalTerminal({ cwd: spec.cwd, env: spec.env, ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}) }, request);
  }
}

/**
 * Watches a process an earlier manager started (not our child: polled), if it still runs; a forking
 * one while its cgroup or recorded tree holds processes (or its pid file's process runs), as when it
 * was ours. Without a cgroup its tree is sampled again while it runs.
 */
function watchAdopted(record: ProcessRecord, home?: string, pidFile?: string, service?: string): RunningService | undefined {
  const cgroup = home === undefined ? undefined : findInstanceCgroup(home, record.instance);
  const members: MembersOf | undefined = home === undefined ? undefined : cgroup ? cgroupMembers(cgroup) : () => treeMembers(home, record.instance);
  const tracked = (run: RunningService): RunningService => {
    if (cgroup || home === undefined || service === undefined) return run;
    trackTree(home, service, record.instance, []);
    void run.exited.then(() => untrackTree(home, record.instance));
    return { ...run, usage: treeUsage(home, record.instance) };
  };
  if (home !== undefined && members && wasForking(home, record.instance) && members().length > 0) {
    const forking = { ...record, forking: true };
    return tracked({ process: forking, exited: watchForking(home, forking, members, pidFile) });
  }
  if (record.pid === undefined) return undefined;
  const identity = leaderOf(record);
  if (!isAlive(identity)) return undefined;
  const exited = whenAdoptedExits(identity).then(
    (): ExitReport => ({ code: null, signal: null, reason: 'exited (code unknown: started by an earlier manager)' }),
  );
  return tracked({ process: record, exited });
}

/**
 * Adopted leaders are not our children (no exit event), so they are polled — all on one timer: an
 * idle owner's cost is its wakeups more than the reads, and one timer per service wakes it that
 * many times more often.
 */
const adoptedLeaders = new Map<ProcessIdentity, () => void>();
let adoptedPoll: NodeJS.Timeout | undefined;

function whenAdoptedExits(identity: ProcessIdentity): Promise<void> {
  return new Promise((exited) => {
    adoptedLeaders.set(identity, exited);
    adoptedPoll ??= setInterval(() => {
      for (const [leader, done] of adoptedLeaders) {
        if (isAlive(leader)) continue;
        adoptedLeaders.delete(leader);
        done();
      }
      if (adoptedLeaders.size > 0) return;
      clearInterval(adoptedPoll);
      adoptedPoll = undefined;
    }, ADOPTED_POLL_MS).unref();
  });
}

/** Without a cgroup, the usage of an instance is the sum over its tracked tree. */
const treeUsage = (home: string, instance: string): UsageTarget => ({ key: instance, open: () => treeCounters(() => trackedMembers(home, instance)) });

/** A start's spawned process: its record, and (without a cgroup) what tells the daemons its launcher forks. */
interface LaunchedRun {
  record?: ProcessRecord;
  launcher?: { identity: ProcessIdentity; exe: string | undefined; uid: number | undefined };
}

/**
 * Where a launcher that exited 0 left its processes: its cgroup, else its recorded tree, to which
 * the daemons it forked (too fast for any sample: daemonsOf) are added first.
 */
function forkedMembers(home: string, service: string, cgroup: string | undefined, run: LaunchedRun): MembersOf {
  if (cgroup) return cgroupMembers(cgroup);
  const instance = run.record?.instance;
  if (!run.launcher || !instance) return () => [];
  trackTree(home, service, instance, daemonsOf(run.launcher.identity, run.launcher.exe, run.launcher.uid));
  sampleTrees();
  return () => treeMembers(home, instance);
}

/** The file a launcher execs (symlinks resolved, as /proc/<pid>/exe shows it), for a launcher gone before it was read; a shell's is unknown. */
function resolvedCommand(spec: LaunchSpec): string | undefined {
  const path = spec.shell ? undefined : spec.command.includes('/') ? spec.command : findOnPath(spec.command, spec.env['PATH'] ?? '');
  try {
    return path && realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The signal a binary service is stopped with: its registry's, else SIGTERM. */
const stopSignalOf = (service: ServiceDefinition): NodeJS.Signals => `SIG${service.startup.stop_signal ?? 'TERM'}`;

/** The process a binary record names (binary records always have a pid; cluster workloads have none). */
function leaderOf(record: ProcessRecord): { pid: number; startTime: string } {
  if (record.pid === undefined) throw new Error(`record of ${record.instance} names no process`);
  return { pid: record.pid, startTime: record.startTime };
}

/**
 * With its record lost, an instance's leader is the process that started it: its first-born member,
 * leading its own session and group as our spawn made it. If the first-born is not a session leader,
 * the leader is gone and a member of its session survives: nothing is recovered. Markers cannot tell
 * one case apart: a leader that died when the first of its survivors had called setsid; that one then
 * passes for it (only a record, or a cgroup, settles that).
 */
function recoveredLeader(members: readonly ManagedProcess[]): ManagedProcess | undefined {
  const first = members.reduce<ManagedProcess | undefined>((a, b) => (a && compareBirth(a, b) <= 0 ? a : b), undefined);
  return first && first.pid === first.pgid && first.pid === first.session ? first : undefined;
}

/** A record rebuilt from a process found by its markers (its state file was lost). */
function leaderRecord(found: ManagedProcess, configHash: string, now: () => number): ProcessRecord {
  const started = startedAt(found) ?? now();
  return { instance: found.instance, pid: found.pid, startTime: found.startTime, pgid: found.pid, command: [], configHash, startedAt: started };
}

/** Moves the waiting launcher into its cgroups and lets it exec; refused, it is ended and the start fails saying why. */
function enterLaunched(launcher: ChildProcess, cgroups: readonly string[]): void {
  try {
    enterCgroups(launcher, cgroups);
  } catch (error) {
    launcher.kill('SIGKILL');
    throw new StartError(`could not move its process into its cgroup: ${(error as Error).message}`);
  }
}

/** Waits for `promise`, but no longer than `ms`. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The cgroups a process enters, its resource limits set (cgroup-resources.ts); a refused limit refuses the start. */
function limitedCgroups(service: ServiceDefinition, cgroup: string): string[] {
  try {
    return applyResources(service, cgroup);
  } catch (error) {
    throw new StartError(`could not apply resources of ${service.name}: ${(error as Error).message}`);
  }
}

/** An exit the kernel's OOM killer caused (the cgroup's counter says so) reads as such. */
/** A SIGKILL, or the end of a forking run (whose signal no one saw), in a cgroup whose memory limit killed: out of memory. */
function outOfMemory(service: ServiceDefinition, cgroup: string | undefined, report: ExitReport): ExitReport {
  const unseen = report.code === null && report.signal === null;
  if (!cgroup || (report.signal !== 'SIGKILL' && !unseen) || !killedForMemory(cgroup)) return report;
  const limit = service.resources?.memory ? ` at its limit (resources.memory = "${service.resources.memory}")` : '';
  return { ...report, reason: `out of memory: killed by the kernel${limit}` };
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): ExitReport {
  return { code, signal, reason: signal ? `killed by ${signal}` : `exited with code ${code}` };
}
