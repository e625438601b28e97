/**
 * A forking service (systemd's Type=forking): its launcher exits 0 once the daemon it forked runs,
 * so the run goes on while its cgroup (or, without one, its recorded process tree: process-tree.ts)
 * holds processes. The main process is the pid in `pid_file` when given (only a member is believed:
 * a pid file can name anyone), else the oldest live member; the run ends when that pid-file process
 * ends, or, without one, when no member is left. The record is updated in place to name the main process, so status and stop (its group is
 * signalled) see the daemon, not the launcher that is gone. That the run is forking is also noted in
 * a file beside the pid files (`<instance>.forking`), since the record was saved at the start: a
 * later owner adopts it while it has members, where a plain service whose main process
 * died while no owner ran has what it left stopped.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirs } from '../../state/state-store';
import { compareBirth, isAlive, placeOf, type ProcessPlace } from '../../process/process-identity';
import { cgroupPids } from '../../process/service-cgroup';
import type { ProcessRecord } from '../../state/service-record';
import type { ExitReport } from '../driver';

const POLL_MS = 250;
/** How long a daemon may take to write its pid file after its launcher exited. */
const PID_FILE_WITHIN_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Where a forking run's live processes are read: its cgroup, or its recorded tree. */
export type MembersOf = () => ProcessPlace[];

/** Live members of a cgroup. */
export const cgroupMembers =
  (cgroup: string): MembersOf =>
  () =>
    (cgroupPids(cgroup) ?? []).map((pid) => placeOf(pid)).filter((p): p is ProcessPlace => p !== undefined);

/** Live members, oldest first. */
export const liveMembers = (members: MembersOf): ProcessPlace[] => members().sort(compareBirth);

/**
 * After the launcher exited 0: undefined when nothing is left (a plain exit), else the promise of the
 * end of the daemon it left, with `record` naming that daemon from now on.
 */
export function followForking(home: string, record: ProcessRecord, members: MembersOf, pidFile: string | undefined): Promise<ExitReport> | undefined {
  if (members().length === 0) return undefined;
  record.forking = true;
  try {
    writeFileSync(forkingNote(home, record.instance), `${record.pid}\n`, { mode: 0o600 });
  } catch {
    // without the note, a later owner stops what it finds (as for any main process that ended) rather than adopting it
  }
  return watchForking(home, record, members, pidFile, Date.now() + PID_FILE_WITHIN_MS);
}

/** The note that an instance is forking; removed when its run ends. */
export const forkingNote = (home: string, instance: string): string => join(stateDirs(home).pids, `${instance}.forking`);

/** Whether an earlier owner noted the instance as forking . */
export function wasForking(home: string, instance: string): boolean {
  try {
    readFileSync(forkingNote(home, instance));
    return true;
  } catch {
    return false;
  }
}

/**
 * Watches a forking run (ours after a launcher's exit, or adopted): resolves when it ends. With a pid
 * file, once it names a member, that process's end is the run's; until then (and if it never does
 * within PID_FILE_WITHIN_MS of the launcher's exit), the last member's end is.
 */
export async function watchForking(
  home: string,
  record: ProcessRecord,
  members: MembersOf,
  pidFile: string | undefined,
  pidFileDeadline = 0,
): Promise<ExitReport> {
  const report = await untilEnded(record, members, pidFile, pidFileDeadline);
  rmSync(forkingNote(home, record.instance), { force: true });
  return report;
}

async function untilEnded(record: ProcessRecord, membersOf: MembersOf, pidFile: string | undefined, pidFileDeadline: number): Promise<ExitReport> {
  let main: ProcessPlace | undefined;
  for (;;) {
    const members = liveMembers(membersOf);
    if (main && !isAlive(main)) {
      const left = members.length === 0 ? '' : ` (pid ${members.map((p) => p.pid).join(', ')} left running)`;
      return { code: null, signal: null, reason: `its main process (pid ${main.pid}, from ${pidFile}) ended${left}` };
    }
    if (members.length === 0) return { code: null, signal: null, reason: 'all its processes ended (a forking service)' };
    const pid = pidFile && !main ? readPid(pidFile) : undefined;
    main ??= members.find((p) => p.pid === pid);
    // Without a main (yet), the oldest member names the service; a pid file may still come.
    name(record, main ?? members[0]!);
    if (pidFile && !main && Date.now() >= pidFileDeadline && pidFileDeadline > 0) pidFile = undefined;
    await sleep(POLL_MS);
  }
}

function name(record: ProcessRecord, main: ProcessPlace): void {
  record.pid = main.pid;
  record.startTime = main.startTime;
  record.pgid = main.pgid;
}

/** The pid a pid file names (its first line), bounded; undefined when absent or not a pid. */
function readPid(path: string): number | undefined {
  try {
    const first = readFileSync(path, 'latin1').slice(0, 64).split('\n')[0]!.trim();
    return /^\d{1,10}$/.test(first) ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}
