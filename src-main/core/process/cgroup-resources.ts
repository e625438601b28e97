/**
 * `resources.memory` and `resources.cpus` of a binary service, applied through cgroup controllers,
 * and the memory accounting its usage is read from. Pure v2: `memory.max` / `cpu.max` in the
 * instance's own cgroup, once the controllers are enabled down from our base (they must be enabled
 * in the base's `cgroup.subtree_control`). Hybrid (v1 controllers beside a controller-less v2
 * hierarchy): a v1 twin of the instance's cgroup under the memory (and, for `cpus`, the cpu)
 * hierarchy — same relative path, under our own v1 cgroup there — with `memory.limit_in_bytes` /
 * `cpu.cfs_quota_us`; the launcher places the process in every one before it can fork. Where a
 * limit cannot be applied, `unappliedResources` says why, for `validate` and preflight.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sizeBytes, type ServiceDefinition } from '@shared/model';
import { cgroupLayout } from './cgroup-layout';

type Controller = 'memory' | 'cpu';

/** Where a controller can be used for our cgroups, found once per process. */
type Support = { readonly kind: 'v2' } | { readonly kind: 'v1'; readonly base: string } | { readonly kind: 'none'; readonly reason: string };

const CFS_PERIOD_US = 100_000;
const support = new Map<Controller, Support>();

export function controllerSupport(controller: Controller): Support {
  let found = support.get(controller);
  if (!found) support.set(controller, (found = detect(controller)));
  return found;
}

function detect(controller: Controller): Support {
  const layout = cgroupLayout();
  if (layout.kind !== 'cgroup') return { kind: 'none', reason: `no cgroup (${layout.reason})` };
  if (readText(join(layout.base, 'cgroup.subtree_control'))?.split(/\s+/).includes(controller)) return { kind: 'v2' };
  const base = v1Base(controller);
  if (base) return { kind: 'v1', base };
  return layout.layout === 'unified'
    ? { kind: 'none', reason: `the ${controller} controller is not enabled for ${layout.base} (its cgroup.subtree_control)` }
    : { kind: 'none', reason: `no cgroup v1 ${controller} hierarchy is mounted and the v2 one has no ${controller} controller` };
}

/** Our own cgroup in the v1 hierarchy of `controller`, when it is mounted and we can make cgroups there. */
function v1Base(controller: Controller): string | undefined {
  const mount = readText('/proc/self/mountinfo')
    ?.split('\n')
    .map((line) => line.split(' '))
    .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup' && fields.at(-1)!.split(',').includes(controller))?.[4];
  const own = readText('/proc/self/cgroup')
    ?.split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields.length >= 3 && fields[1]!.split(',').includes(controller))?.[2];
  if (!mount || own === undefined) return undefined;
  const base = join(mount, own);
  const probe = join(base, `provisioning-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return base;
  } catch {
    return undefined;
  }
}

/** The controllers a service's limits need. */
const wanted = (service: Pick<ServiceDefinition, 'resources'>): Controller[] => [
  ...(service.resources?.memory ? (['memory'] as const) : []),
  ...(service.resources?.cpus ? (['cpu'] as const) : []),
];

const KEY: Record<Controller, 'memory' | 'cpus'> = { memory: 'memory', cpu: 'cpus' };

/** Each limit of a binary service this machine cannot apply, with why: validate and preflight warn with it. */
export function unappliedResources(service: Pick<ServiceDefinition, 'resources' | 'deployment'>): { key: 'memory' | 'cpus'; reason: string }[] {
  if (service.deployment.mode !== 'binary') return [];
  return wanted(service).flatMap((controller) => {
    const found = controllerSupport(controller);
    return found.kind === 'none' ? [{ key: KEY[controller], reason: found.reason }] : [];
  });
}

/** The v1 twin of an instance's v2 cgroup under `base` (same path below our own cgroup). */
function twin(base: string, v2cgroup: string): string | undefined {
  const layout = cgroupLayout();
  if (layout.kind !== 'cgroup') return undefined;
  const path = relative(layout.base, v2cgroup);
  return path.startsWith('..') ? undefined : join(base, path);
}

/** Where usage and the OOM verdict of an instance are read: v2 files in its own cgroup, or its v1 memory twin. */
export function memoryCgroup(v2cgroup: string): { kind: 'v2' | 'v1'; path: string } | undefined {
  const memory = controllerSupport('memory');
  if (memory.kind === 'v2') return { kind: 'v2', path: v2cgroup };
  const path = memory.kind === 'v1' ? twin(memory.base, v2cgroup) : undefined;
  return path ? { kind: 'v1', path } : undefined;
}

/**
 * Sets the instance's limits and returns every cgroup the process must enter (the v2 one first).
 * A v1 memory twin is made even without a limit: it is where the service's memory is counted. Throws
 * (with the file and the kernel's answer) when a limit that can be applied is refused.
 */
export function applyResources(service: Pick<ServiceDefinition, 'resources'>, v2cgroup: string): string[] {
  const cgroups = [v2cgroup];
  const memory = service.resources?.memory ? sizeBytes(service.resources.memory) : undefined;
  const cpus = service.resources?.cpus;
  for (const controller of ['memory', 'cpu'] as const) {
    const found = controllerSupport(controller);
    const limited = controller === 'memory' ? memory !== undefined : cpus !== undefined;
    if (found.kind === 'v2' && limited) enableDown(v2cgroup, controller);
    if (found.kind !== 'v1' || (!limited && controller === 'cpu')) continue;
    const path = twin(found.base, v2cgroup);
    if (!path) continue;
    mkdirSync(path, { recursive: true });
    cgroups.push(path);
  }
  const memoryAt = memoryCgroup(v2cgroup);
  if (memory !== undefined && memoryAt) {
    if (memoryAt.kind === 'v2') write(join(v2cgroup, 'memory.max'), String(memory));
    else {
      write(join(memoryAt.path, 'memory.limit_in_bytes'), String(memory));
      // With swap, the limit would only move the excess to swap: swap is limited to nothing beyond it.
      tryWrite(join(memoryAt.path, 'memory.memsw.limit_in_bytes'), String(memory));
    }
  }
  if (cpus !== undefined) {
    const quota = Math.max(1_000, Math.round(cpus * CFS_PERIOD_US));
    const cpu = controllerSupport('cpu');
    if (cpu.kind === 'v2') write(join(v2cgroup, 'cpu.max'), `${quota} ${CFS_PERIOD_US}`);
    const path = cpu.kind === 'v1' ? twin(cpu.base, v2cgroup) : undefined;
    if (path) {
      write(join(path, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
      write(join(path, 'cpu.cfs_quota_us'), String(quota));
    }
  }
  return cgroups;
}

/** True when the kernel's OOM killer killed a process of the instance (v2 memory.events, v1 memory.oom_control). */
export function killedForMemory(v2cgroup: string): boolean {
  const at = memoryCgroup(v2cgroup);
  if (!at) return false;
  const text = readText(join(at.path, at.kind === 'v2' ? 'memory.events' : 'memory.oom_control'));
  return Number(/^oom_kill (\d+)$/m.exec(text ?? '')?.[1] ?? 0) > 0;
}

/** Removes the instance's v1 twins (and their empty service and home folders). Best effort. */
export function removeResourceTwins(v2cgroup: string): void {
  for (const controller of ['memory', 'cpu'] as const) {
    const found = controllerSupport(controller);
    const path = found.kind === 'v1' ? twin(found.base, v2cgroup) : undefined;
    if (!path) continue;
    for (const dir of [path, join(path, '..'), join(path, '..', '..')]) {
      try {
        rmdirSync(dir);
      } catch {
        break; // still populated, has other instances, or gone
      }
    }
  }
}

/** In pure v2 a controller reaches the instance only when every folder from our base down enables it. */
function enableDown(v2cgroup: string, controller: Controller): void {
  const layout = cgroupLayout();
  if (layout.kind !== 'cgroup') return;
  const steps = relative(layout.base, v2cgroup).split('/').slice(0, -1);
  let dir = layout.base;
  for (const step of steps) {
    dir = join(dir, step);
    write(join(dir, 'cgroup.subtree_control'), `+${controller}`);
  }
}

function write(file: string, value: string): void {
  try {
    writeFileSync(file, value);
  } catch (error) {
    throw new Error(`could not write ${value} to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

function tryWrite(file: string, value: string): void {
  try {
    writeFileSync(file, value);
  } catch {
    // absent without swap accounting
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
