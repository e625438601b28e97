/**
 * The cgroup of one service instance: `<base>/provisioning-<home hash>/<service>/<instance>`, so
 * two homes on one machine never share one and a home's every process is one directory walk away.
 * A process placed there before it can fork takes every descendant with it — daemonized, re-parented,
 * environ rewritten — and only root or the cgroup's owner can move a process out, so membership
 * proves it is ours (no uid check, unlike markers). Reads are bounded: a name that is not a plain
 * path component is never used, and a cgroup.procs read is one small file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupLayout } from './cgroup-layout';
import { removeResourceTwins } from './cgroup-resources';

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}$/;

/** The folder of a home's cgroups, or undefined where no cgroup can be made. */
export function homeCgroup(home: string): string | undefined {
  const layout = cgroupLayout();
  if (layout.kind !== 'cgroup') return undefined;
  return join(layout.base, `provisioning-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`);
}

/** The cgroup path of one instance (whether or not it exists), or undefined where none can be made. */
export function instanceCgroup(home: string, service: string, instance: string): string | undefined {
  const root = homeCgroup(home);
  if (!root || !SAFE_NAME.test(service) || !SAFE_NAME.test(instance)) return undefined;
  return join(root, service, instance);
}

/** The existing cgroup of an instance, whichever service's folder holds it (a record names only its instance). */
export function findInstanceCgroup(home: string, instance: string): string | undefined {
  const root = homeCgroup(home);
  if (!root || !SAFE_NAME.test(instance)) return undefined;
  const service = subdirectories(root).find((name) => existsSync(join(root, name, instance)));
  return service === undefined ? undefined : join(root, service, instance);
}

/** Makes the instance's cgroup; undefined (fall back to groups and markers) when it cannot be made. */
export function createInstanceCgroup(home: string, service: string, instance: string): string | undefined {
  const path = instanceCgroup(home, service, instance);
  if (!path) return undefined;
  try {
    mkdirSync(path, { recursive: true });
    return path;
  } catch {
    return undefined;
  }
}

/** Pids in a cgroup (its own procs, not its children's); undefined when it does not exist. */
export function cgroupPids(path: string): number[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(path, 'cgroup.procs'), 'latin1');
  } catch {
    return undefined;
  }
  return text
    .split('\n')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** SIGKILLs every process in the cgroup at once (cgroup.kill, Linux 5.14+); false where the kernel lacks it. */
export function killCgroup(path: string): boolean {
  try {
    writeFileSync(join(path, 'cgroup.kill'), '1');
    return true;
  } catch {
    return false;
  }
}

/** Removes an empty instance cgroup (and its v1 twins) and, once empty too, its service's folder and the home's. Best effort. */
export function removeInstanceCgroup(path: string): void {
  removeResourceTwins(path);
  for (const dir of [path, join(path, '..'), join(path, '..', '..')]) {
    try {
      rmdirSync(dir);
    } catch {
      return; // still populated (EBUSY), has other instances (ENOTEMPTY), or gone
    }
  }
}

export interface CgroupMember {
  readonly pid: number;
  readonly service: string;
  readonly instance: string;
}

/** Every process in this home's cgroups, with the service and instance its cgroup names. */
export function homeCgroupMembers(home: string): CgroupMember[] {
  const root = homeCgroup(home);
  if (!root) return [];
  const found: CgroupMember[] = [];
  for (const service of subdirectories(root)) {
    for (const instance of subdirectories(join(root, service))) {
      for (const pid of cgroupPids(join(root, service, instance)) ?? []) found.push({ pid, service, instance });
    }
  }
  return found;
}

/**
 * Removes the home's instance cgroups that hold nothing: a process killed from outside (or an
 * owner that died before its cleanup) leaves an empty folder behind. Empty ones are never in use.
 */
export function sweepEmptyCgroups(home: string): void {
  const root = homeCgroup(home);
  if (!root) return;
  for (const service of subdirectories(root)) {
    for (const instance of subdirectories(join(root, service))) {
      const path = join(root, service, instance);
      if (cgroupPids(path)?.length === 0) removeInstanceCgroup(path);
    }
  }
}

function subdirectories(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && SAFE_NAME.test(entry.name))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
