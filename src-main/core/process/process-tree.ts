/**
 * Process-tree tracking, where no cgroup can be made (macOS, a locked-down box, or forced by
 * `PROVISIONING_PROCESS_TRACKING=tree`): every descendant of a service seen while it runs is
 * recorded by pid and start time, so one that later daemonized, left its group and rewrote its
 * environment (nginx, redis) is still known as the service's, by a later owner too. Descendants are
 * found by parent links (/proc/<pid>/stat field 4 on Linux, `ps -o pid=,ppid=,pgid=,lstart=`
 * elsewhere), sampled once a second in one pass for all services, and when a launcher exits. A
 * record is believed only while pid *and* start time match (pids are reused, start times are not).
 * Each instance's record is a small file beside its pid files (`<instance>.tree`), rewritten only when
 * its set changes, at most MAX_MEMBERS (the oldest dropped). Not containment: a descendant that
 * forked and whose parent exited between two samples is missed, unless it is a launcher's daemon
 * (see daemonsOf); markers remain the last resort.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirs } from '../state/state-store';
import { lastPid } from './environ-scan';
import { nodeOf, realUidOf, type ProcessIdentity, type ProcessNode, type ProcessPlace } from './process-identity';

/** Recorded descendants per instance; beyond that the oldest are dropped. */
export const MAX_MEMBERS = 256;
const SAMPLE_MS = 1_000;
/** A tree file holds at most MAX_MEMBERS short entries: anything larger is not one. */
const MAX_FILE_BYTES = 64 * 1024;
/** Stops poll for leftovers every 25 ms; one pass over /proc serves all polls within this window. */
const TABLE_REUSE_MS = 10;
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}$/;

export interface TreeRecord {
  readonly service: string;
  readonly instance: string;
  readonly members: readonly ProcessIdentity[];
}

type Table = ReadonlyMap<number, ProcessNode>;

let lastTable: { at: number; table: Table } | undefined;

/** Every live process with its parent, in one pass (shared by calls within TABLE_REUSE_MS unless `fresh`). */
export function processTable(fresh = false): Table {
  const now = performance.now();
  if (fresh || !lastTable || now - lastTable.at > TABLE_REUSE_MS) lastTable = { at: now, table: process.platform === 'linux' ? procTable() : psTable() };
  return lastTable.table;
}

function procTable(): Table {
  const table = new Map<number, ProcessNode>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    const node = /^\d+$/.test(name) ? nodeOf(Number(name)) : undefined;
    if (node) table.set(node.pid, node);
  }
  return table;
}

/** `ps` where there is no /proc: lstart is the start time process-identity uses there; no session, so the group stands for it. */
function psTable(): Table {
  const table = new Map<number, ProcessNode>();
  let out: string;
  try {
    out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,lstart='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 8 * 1024 * 1024 });
  } catch {
    return table;
  }
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S.{0,63})$/.exec(line.trimEnd());
    if (!match) continue;
    const [pid, ppid, pgid] = [Number(match[1]), Number(match[2]), Number(match[3])];
    table.set(pid, { pid, ppid, pgid, session: pgid, startTime: match[4]!.trim() });
  }
  return table;
}

/** The live processes a record names (pid and start time match) and all their live descendants, recorded or not. */
export function liveTree(members: readonly ProcessIdentity[], table: Table = processTable()): ProcessNode[] {
  const children = new Map<number, ProcessNode[]>();
  for (const node of table.values()) children.set(node.ppid, [...(children.get(node.ppid) ?? []), node]);
  const found = new Map<number, ProcessNode>();
  const queue = members.map((m) => table.get(m.pid)).filter((n, i): n is ProcessNode => n?.startTime === members[i]!.startTime);
  while (queue.length > 0 && found.size < table.size) {
    const node = queue.shift()!;
    if (found.has(node.pid)) continue;
    found.set(node.pid, node);
    queue.push(...(children.get(node.pid) ?? []));
  }
  return [...found.values()];
}

const treeFile = (home: string, instance: string): string => join(stateDirs(home).pids, `${instance}.tree`);

/** The recorded tree of an instance, if any; a malformed or oversized file is no record. */
export function readTree(home: string, instance: string): TreeRecord | undefined {
  return SAFE_NAME.test(instance) ? parseTree(treeFile(home, instance)) : undefined;
}

function parseTree(path: string): TreeRecord | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    if (text.length > MAX_FILE_BYTES) return undefined;
    const value = JSON.parse(text) as Partial<TreeRecord>;
    if (typeof value.service !== 'string' || typeof value.instance !== 'string' || !Array.isArray(value.members)) return undefined;
    const members = value.members
      .slice(-MAX_MEMBERS)
      .filter((m): m is ProcessIdentity => Number.isInteger(m?.pid) && m.pid > 0 && typeof m.startTime === 'string' && m.startTime.length < 64);
    return { service: value.service, instance: value.instance, members };
  } catch {
    return undefined;
  }
}

/** Every recorded tree of a home (for adoption and strays: a removed service's processes are still named). */
export function homeTrees(home: string): TreeRecord[] {
  let names: string[];
  try {
    names = readdirSync(stateDirs(home).pids).filter((name) => name.endsWith('.tree'));
  } catch {
    return [];
  }
  return names.flatMap((name) => parseTree(join(stateDirs(home).pids, name)) ?? []);
}

/** The live processes of an instance's recorded tree (and their descendants), oldest record first. */
export function treeMembers(home: string, instance: string): ProcessPlace[] {
  const record = tracked.get(key(home, instance)) ?? readTree(home, instance);
  return record ? liveTree(record.members).map(({ ppid: _ppid, ...place }) => place) : [];
}

/** The members an owner tracks for an instance now (the usage sampler sums them). */
export const trackedMembers = (home: string, instance: string): readonly ProcessIdentity[] => tracked.get(key(home, instance))?.members ?? [];

const tracked = new Map<string, TreeRecord & { readonly home: string }>();
let timer: NodeJS.Timeout | undefined;
const key = (home: string, instance: string): string => `${home}\u0000${instance}`;

/** Starts recording an instance's tree from `roots` (merged with what an earlier owner recorded), sampled until untrackTree. */
export function trackTree(home: string, service: string, instance: string, roots: readonly ProcessIdentity[]): void {
  if (!SAFE_NAME.test(instance)) return;
  const earlier = tracked.get(key(home, instance)) ?? readTree(home, instance);
  record(home, { service, instance, members: [...(earlier?.members ?? [])] }, roots);
  timer ??= setInterval(sampleTrees, SAMPLE_MS).unref();
}

/** Stops sampling an instance (its run ended); its file stays until its processes are gone (forgetTree). */
export function untrackTree(home: string, instance: string): void {
  tracked.delete(key(home, instance));
  if (tracked.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Drops an instance's record once nothing of it runs. */
export function forgetTree(home: string, instance: string): void {
  untrackTree(home, instance);
  if (SAFE_NAME.test(instance)) rmSync(treeFile(home, instance), { force: true });
}

/** One pass over the process table for every tracked instance: new descendants are recorded, gone ones dropped. */
export function sampleTrees(): void {
  if (tracked.size === 0) return;
  const table = processTable();
  for (const entry of [...tracked.values()]) record(entry.home, entry, liveTree(entry.members, table), table);
}

/**
 * The daemons a launcher left when it exited: forked and orphaned too fast for any sample, they are
 * known by what a fork keeps: born after the launcher (pid handed out since, start time not earlier),
 * the same executable, the same real uid, and no longer a child of any live process born since.
 * A heuristic: a same-binary, same-uid daemon someone else started in that window (and left
 * unrecorded) would be taken too.
 */
export function daemonsOf(launcher: ProcessIdentity, exe: string | undefined, uid: number | undefined): ProcessIdentity[] {
  const last = lastPid();
  if (exe === undefined || last === undefined) return [];
  // Fresh: a table read a few ms ago, before the fork, would not hold the daemon.
  const table = processTable(true);
  const since = (pid: number) => (launcher.pid <= last ? pid > launcher.pid && pid <= last : pid > launcher.pid || pid <= last);
  const born = [...table.values()].filter((n) => since(n.pid) && Number(n.startTime) >= Number(launcher.startTime));
  const bornPids = new Set(born.map((n) => n.pid));
  // Another instance's recorded process is never taken (two copies of one server started together).
  const claimed = new Set([...tracked.values()].flatMap((t) => t.members.map(id)));
  return born.filter((n) => !bornPids.has(n.ppid) && !claimed.has(id(n)) && exeOf(n.pid) === exe && realUidOf(n.pid) === uid);
}

/** The executable of a live process (Linux), to tell its forks. */
export function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

function record(home: string, entry: TreeRecord, seen: readonly ProcessIdentity[], table: Table = processTable()): void {
  const known = new Set(entry.members.map(id));
  const alive = entry.members.filter((m) => table.get(m.pid)?.startTime === m.startTime);
  const fresh = seen.filter((m) => !known.has(id(m))).map(({ pid, startTime }) => ({ pid, startTime }));
  const members = [...alive, ...fresh].slice(-MAX_MEMBERS);
  const previous = tracked.get(key(home, entry.instance));
  tracked.set(key(home, entry.instance), { home, service: entry.service, instance: entry.instance, members });
  if (previous && fresh.length === 0 && alive.length === entry.members.length) return;
  try {
    writeFileSync(treeFile(home, entry.instance), JSON.stringify({ service: entry.service, instance: entry.instance, members }), { mode: 0o600 });
  } catch {
    // without the file a later owner falls back to markers; this owner still has the set in memory
  }
}

const id = (m: ProcessIdentity): string => `${m.pid}/${m.startTime}`;
