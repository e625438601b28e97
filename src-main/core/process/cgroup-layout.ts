/**
 * Where this manager can make a cgroup v2 per service, found once per process. Linux mounts the
 * unified (v2) hierarchy either at /sys/fs/cgroup (a pure-v2 desktop: the systemd user session's
 * subtree is delegated to the user) or beside the v1 controllers at /sys/fs/cgroup/unified (hybrid
 * machines). Our own cgroup (/proc/self/cgroup's `0::` line) is the base: root on a hybrid machine
 * sits at its top, a user in a delegated scope owns its own. We make `provisioning-<home hash>`
 * under it, which needs write access there and, to move a spawned process in, to its cgroup.procs.
 * A probe (mkdir + rmdir) settles it: where it fails (macOS, v1 only, a locked-down box) there is
 * no cgroup, and process trees (process-tree.ts) with environment markers as the last resort are
 * what tracks a service's processes. `PROVISIONING_PROCESS_TRACKING=tree` in the owner's environment
 * forces that fallback where cgroups work: a switch for tests and diagnosis, not a setting.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupLayout =
  | { readonly kind: 'cgroup'; readonly base: string; readonly layout: 'unified' | 'hybrid' }
  | { readonly kind: 'none'; readonly reason: string };

let detected: CgroupLayout | undefined;

/** The layout of this machine for this process (cached: it cannot change while we run). */
export function cgroupLayout(): CgroupLayout {
  detected ??= detect();
  return detected;
}

/** One line for `daemon status` and the Settings panel: which mechanism holds a service's processes. */
export interface ProcessTracking {
  readonly mechanism: 'cgroup' | 'process-trees';
  readonly detail: string;
}

export function processTracking(): ProcessTracking {
  const layout = cgroupLayout();
  return layout.kind === 'cgroup'
    ? { mechanism: 'cgroup', detail: `a cgroup v2 per service under ${layout.base} (${layout.layout} layout): every descendant stays the service's` }
    : {
        mechanism: 'process-trees',
        detail: `no cgroup: ${layout.reason}`,
      };
}

/** The test and diagnostic switch: `tree` makes the owner track process trees even where it could make cgroups. */
export const TRACKING_VARIABLE = 'PROVISIONING_PROCESS_TRACKING';

function detect(): CgroupLayout {
  if (process.env[TRACKING_VARIABLE] === 'tree') return { kind: 'none', reason: `${TRACKING_VARIABLE}=tree forces process-tree tracking` };
  if (process.platform !== 'linux') return { kind: 'none', reason: `not Linux (${process.platform})` };
  const mount = unifiedMount();
  if (!mount) return { kind: 'none', reason: 'no cgroup v2 hierarchy is mounted' };
  const own = ownCgroup();
  if (own === undefined) return { kind: 'none', reason: 'cannot read /proc/self/cgroup' };
  const base = join(mount, own);
  const probe = join(base, `provisioning-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    accessSync(join(base, 'cgroup.procs'), constants.W_OK);
  } catch (error) {
    return { kind: 'none', reason: `cannot make a cgroup under ${base} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  return { kind: 'cgroup', base, layout: mount === '/sys/fs/cgroup' ? 'unified' : 'hybrid' };
}

/** The mount point of the cgroup2 filesystem (/proc/self/mountinfo: field 5 is the mount point; the type follows ` - `). */
function unifiedMount(): string | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  const points = text
    .split('\n')
    .filter((line) => / - cgroup2 /.test(line))
    .map((line) => line.split(' ')[4]!)
    .filter(Boolean);
  return points.find((p) => p === '/sys/fs/cgroup') ?? points[0];
}

/** Our own v2 cgroup path (`0::/path`), relative to the hierarchy's root. */
function ownCgroup(): string | undefined {
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'));
    return line === undefined ? undefined : line.slice(3).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}
