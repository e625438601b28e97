/**
 * The homes of one user that have a running owner, for `daemon status`: each owner (daemon or
 * desktop app) leaves an entry — home, registry, pid and start time — in a per-user folder while it
 * owns its home, and removes it when it lets go. An owner that was killed leaves its entry behind:
 * an entry counts only while its pid still names the same process (start time), and a stale one is
 * removed when seen. The folder is `$XDG_RUNTIME_DIR/provisioning/owners` (per-user, private, gone at
 * logout) where the session has one, else `~/.provisioning/owners`; `PROVISIONING_OWNERS_DIR`
 * overrides it (tests, several users' sandboxes). Entries are read bounded and never trusted for
 * more than listing: nothing is signalled because of one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { identify } from '../core/process/process-identity';
import { ownFolder } from '../core/own-folder';
import { readSmallFile } from '../core/read-small-file';
import { writeFileAtomic } from '../core/state/atomic-write';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunningHome {
  readonly home: string;
  readonly registry: string;
  readonly pid: number;
}

interface Entry extends RunningHome {
  readonly startTime: string;
}

/** An entry is a few hundred bytes; more files than this are not read (a listing, not a scan). */
const MAX_ENTRY_BYTES = 8 * 1024;
const MAX_ENTRIES = 1_000;

export function ownersDir(env: Env): string {
  if (env['PROVISIONING_OWNERS_DIR']) return env['PROVISIONING_OWNERS_DIR'];
  const runtime = env['XDG_RUNTIME_DIR'];
  return runtime ? join(runtime, 'provisioning', 'owners') : join(homedir(), '.provisioning', 'owners');
}

const entryPath = (dir: string, home: string): string => join(dir, `${createHash('sha256').update(home).digest('hex').slice(0, 16)}.json`);

/** Says this process owns `home`; returns how to take it back. Best effort: a listing must never stop an owner. */
export async function announceOwner(env: Env, home: string, registry: string): Promise<() => void> {
  const me = identify(process.pid);
  const dir = ownersDir(env);
  const path = entryPath(dir, home);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ours(dir)) return () => undefined;
    await writeFileAtomic(path, JSON.stringify({ home, registry, pid: process.pid, startTime: me?.startTime ?? '' }));
  } catch {
    return () => undefined;
  }
  // Only our own entry: a later owner of the same home may have replaced it.
  return () => readEntry(path)?.pid === process.pid && drop(path);
}

/** Homes whose owner still runs, by home path; stale entries are removed. */
export function runningHomes(env: Env): RunningHome[] {
  const dir = ownersDir(env);
  let names: string[];
  try {
    if (!ours(dir)) return [];
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .slice(0, MAX_ENTRIES);
  } catch {
    return [];
  }
  const found: RunningHome[] = [];
  for (const name of names) {
    const entry = readEntry(join(dir, name));
    if (entry && identify(entry.pid)?.startTime === entry.startTime) found.push({ home: entry.home, registry: entry.registry, pid: entry.pid });
    else drop(join(dir, name));
  }
  return found.sort((a, b) => a.home.localeCompare(b.home));
}

/**
 * A folder of ours, not a symlink, that no one else can write (made private again when it is ours
 * but open, as the state folder is): another user's folder would let them plant or remove entries.
 */
const ours = (dir: string): boolean => ownFolder(dir).own;

// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const PRINTABLE = /^[^\u0000-\u001f\u007f]{1,4096}$/;

/** One entry: a regular file (never a symlink, FIFO or folder), read bounded, its paths printable. */
function readEntry(path: string): Entry | undefined {
  try {
    const value = JSON.parse(readSmallFile(path, MAX_ENTRY_BYTES, { noFollow: true }) ?? '') as Partial<Entry>;
    const valid =
      typeof value.home === 'string' &&
      PRINTABLE.test(value.home) &&
      typeof value.registry === 'string' &&
      PRINTABLE.test(value.registry) &&
      typeof value.startTime === 'string' &&
      Number.isInteger(value.pid) &&
      (value.pid ?? 0) > 0;
    return valid ? (value as Entry) : undefined;
  } catch {
    return undefined;
  }
}

/** Removes a stale or foreign entry; what cannot be removed (a folder of that name) is left, never fatal. */
function drop(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // a listing must not fail for it
  }
}
