/**
 * `platform start` and `platform stop` over the dependency graph. Start: the named services (or the
 * auto-start ones) and everything they need, each launched the moment its dependencies are healthy.
 * Stop: the named services and everything that needs them (or all), dependents first, in parallel
 * where the graph allows.
 */
import type { PlatformReport } from '@shared/contract/platform';
import { SERVING, type ServiceStatus } from '@shared/contract/service-state';
import { blastRadius, indexOf, startSet, type DependencyGraph } from '@shared/graph';
import type { Registry } from '@shared/model';
import { runDag, type DagRunResult, type StepResult } from './dag-run';

export interface PlatformDeps {
  readonly registry: Registry;
  readonly graph: DependencyGraph;
  statusOf(name: string): ServiceStatus | undefined;
  start(name: string): Promise<ServiceStatus>;
  stop(name: string): Promise<ServiceStatus>;
  /** Marks a service that will not start because a dependency failed. */
  block(name: string, reason: string): void;
  /** Services that run but are no longer in the registry. */
  strays(): readonly string[];
  now(): number;
}

const UP = new Set<ServiceStatus['state']>(['healthy', 'degraded', 'external']);

export async function startPlatform(deps: PlatformDeps, names: readonly string[], signal?: AbortSignal): Promise<PlatformReport> {
  const targets = names.length > 0 ? names : deps.registry.services.filter((s) => s.auto_start).map((s) => s.name);
  const { graph } = deps;
  const began = deps.now();
  const result = await runDag({
    steps: startSet(graph, targets),
    waitsFor: (name) => graph.deps[indexOf(graph, name)]!.map((i) => graph.names[i]!),
    priority: (name) => graph.rank[indexOf(graph, name)]!,
    run: async (name): Promise<StepResult> => {
      const before = deps.statusOf(name);
      if (before && SERVING.has(before.state)) return { outcome: 'skipped', reason: before.state === 'external' ? before.reason : 'already running' };
      const status = await deps.start(name);
      if (UP.has(status.state)) return { outcome: 'done', reason: status.reason };
      return { outcome: 'failed', reason: status.state === 'failed' ? status.reason : `${status.state}: ${status.reason}` };
    },
    onBlocked: (name, reason) => deps.block(name, reason),
    ...(signal ? { signal } : {}),
    now: deps.now,
  });
  return report('start', began, deps.now(), result);
}

/** With `dependents: false`, exactly the named services (still in stop order among themselves). */
export async function stopPlatform(
  deps: PlatformDeps,
  names: readonly string[],
  { signal, dependents }: { readonly signal?: AbortSignal; readonly dependents: boolean },
): Promise<PlatformReport> {
  const { graph } = deps;
  const strays = names.length > 0 ? names.filter((name) => !graph.index.has(name)) : deps.strays();
  const named = names.filter((name) => graph.index.has(name));
  const known = names.length === 0 ? [...graph.names] : dependents ? blastRadius(graph, named) : named;
  const began = deps.now();
  const result = await runDag({
    steps: [...known, ...strays],
    waitsFor: (name) => (graph.index.has(name) ? graph.dependents[indexOf(graph, name)]!.map((i) => graph.names[i]!) : []),
    // Dependents of the same dependency stop in reverse start priority.
    priority: (name) => (graph.index.has(name) ? graph.names.length - graph.rank[indexOf(graph, name)]! : graph.names.length + strays.indexOf(name)),
    run: async (name): Promise<StepResult> => {
      const before = deps.statusOf(name);
      if (before?.state === 'stopped') return { outcome: 'skipped', reason: 'not running' };
      if (before?.mode === 'remote') return { outcome: 'skipped', reason: 'remote: not stopped from here' };
      const status = await deps.stop(name);
      return status.state === 'stopped' ? { outcome: 'done', reason: status.reason } : { outcome: 'failed', reason: `${status.state}: ${status.reason}` };
    },
    ...(signal ? { signal } : {}),
    now: deps.now,
  });
  return report('stop', began, deps.now(), result);
}

function report(operation: PlatformReport['operation'], began: number, ended: number, result: DagRunResult): PlatformReport {
  return { operation, began, ended, cancelled: result.cancelled, steps: result.steps, criticalPath: result.criticalPath };
}
