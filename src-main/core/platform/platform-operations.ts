/**
 * Operations over the dependency graph, owned by the engine so every face means the same by them.
 * Start: the named services (or the auto-start ones) and everything they need, each launched the
 * moment its dependencies hold their conditions (healthy, a task completed; started: under way). Stop: the named services and everything that needs them (or
 * all), dependents first, in parallel where the graph allows. Restart: a stop, then a start of what
 * had run. Ensure: what an operation needs (`required_for`), started all or nothing. Each tells its
 * plan (the services involved, in order) before it acts, and reports it.
 */
import type { EnsureReport, OperationPlan, PlatformReport, RestartReport } from '@shared/contract/platform';
import type { Readiness } from '@shared/contract/health';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { SERVING, UP } from '@shared/contract/state-meaning';
import { blastRadius, indexOf, startSet, type DependencyGraph } from '@shared/graph';
import { conditionOf, suggestion, type Registry } from '@shared/model';
import { EngineError } from '../engine-errors';
import { runDag, type DagRunResult, type StepResult } from './dag-run';

export interface PlatformDeps {
  readonly registry: Registry;
  readonly graph: DependencyGraph;
  statusOf(name: string): ServiceStatus | undefined;
  /** `launched`: told once its process (or workload) is under way, before it is ready. */
  start(name: string, launched?: () => void): Promise<ServiceStatus>;
  stop(name: string): Promise<ServiceStatus>;
  /** Only watched here (remote): never stopped by an operation. */
  watched(name: string): boolean;
  /** The user asked for it to run and has not stopped it (it may be blocked, waiting). */
  wanted(name: string): boolean;
  /** Marks a service the user asked for that will not start now, because a dependency failed. */
  block(name: string, reason: string): void;
  /** Services that run but are no longer in the registry. */
  strays(): readonly string[];
  now(): number;
}

export interface OperationOptions {
  /** Aborting launches nothing more; what is under way finishes. */
  readonly signal?: AbortSignal;
  /** Told the plan before anything is done. */
  readonly onPlan?: (plan: OperationPlan) => void;
  /** Asked at each start's turn: a reason not to start that one after all (a person stopped it meanwhile). */
  readonly withdrawn?: (name: string) => string | undefined;
}

const autoStart = (registry: Registry) => registry.services.filter((s) => s.auto_start).map((s) => s.name);

export async function startPlatform(deps: PlatformDeps, names: readonly string[], { signal, onPlan, withdrawn }: OperationOptions = {}): Promise<PlatformReport> {
  const { graph } = deps;
  const plan = startSet(graph, names.length > 0 ? names : autoStart(deps.registry));
  onPlan?.({ operation: 'start', plan });
  const definitions = new Map(deps.registry.services.map((s) => [s.name, s]));
  const began = deps.now();
  const result = await runDag({
    steps: plan,
    waitsFor: (name) => graph.deps[indexOf(graph, name)]!.map((i) => graph.names[i]!),
    priority: (name) => graph.rank[indexOf(graph, name)]!,
    // A `started` dependency lets what needs it go once it is under way; the others once it is up.
    early: (waiter, prerequisite) => {
      const service = definitions.get(waiter);
      return service !== undefined && conditionOf(service, prerequisite) === 'started';
    },
    run: async (name, launched): Promise<StepResult> => {
      const before = deps.statusOf(name);
      if (before && SERVING.has(before.state)) return { outcome: 'skipped', reason: before.state === 'healthy' ? 'already running' : before.reason };
      const why = withdrawn?.(name);
      if (why) return { outcome: 'skipped', reason: why };
      const status = await deps.start(name, launched);
      if (UP.has(status.state)) return { outcome: 'done', reason: status.reason };
      return { outcome: 'failed', reason: status.state === 'failed' ? status.reason : `${status.state}: ${status.reason}` };
    },
    onBlocked: (name, reason) => deps.block(name, reason),
    ...(signal ? { signal } : {}),
    now: deps.now,
  });
  return report('start', plan, began, deps.now(), result);
}

/** With `dependents: false`, exactly the named services (still in stop order among themselves). */
export async function stopPlatform(
  deps: PlatformDeps,
  names: readonly string[],
  { signal, onPlan, dependents }: OperationOptions & { readonly dependents: boolean },
): Promise<PlatformReport> {
  const { graph } = deps;
  const strays = names.length > 0 ? names.filter((name) => !graph.index.has(name)) : deps.strays();
  const named = names.filter((name) => graph.index.has(name));
  const known =
    names.length === 0
      ? blastRadius(graph, graph.names)
      : dependents
        ? blastRadius(graph, named)
        : blastRadius(graph, named).filter((name) => named.includes(name));
  const plan = [...known, ...strays];
  onPlan?.({ operation: 'stop', plan });
  const began = deps.now();
  const result = await runDag({
    steps: plan,
    waitsFor: (name) => (graph.index.has(name) ? graph.dependents[indexOf(graph, name)]!.map((i) => graph.names[i]!) : []),
    // Dependents of the same dependency stop in reverse start priority.
    priority: (name) => (graph.index.has(name) ? graph.names.length - graph.rank[indexOf(graph, name)]! : graph.names.length + strays.indexOf(name)),
    run: async (name): Promise<StepResult> => {
      const before = deps.statusOf(name);
      if (before?.state === 'stopped') return { outcome: 'skipped', reason: 'not running' };
      if (deps.watched(name)) return { outcome: 'skipped', reason: 'runs elsewhere: not stopped from here' };
      const status = await deps.stop(name);
      return status.state === 'stopped' ? { outcome: 'done', reason: status.reason } : { outcome: 'failed', reason: `${status.state}: ${status.reason}` };
    },
    ...(signal ? { signal } : {}),
    now: deps.now,
  });
  return report('stop', plan, began, deps.now(), result);
}

/** Stops the services and what needs them (or all), then starts again the named ones and what of the stopped had run. */
export async function restartPlatform(deps: PlatformDeps, names: readonly string[], options: OperationOptions = {}): Promise<RestartReport> {
  // What ran, and what was asked for and waited: the stop withdraws both wishes, the start renews them.
  const ran = new Set(deps.graph.names.filter((name) => isRunning(deps.statusOf(name)) || deps.wanted(name)));
  const stop = await stopPlatform(deps, names, { ...options, dependents: true });
  const again = [...new Set([...names, ...stop.plan.filter((name) => ran.has(name))])];
  const start = await startPlatform(deps, again.length > 0 ? again : autoStart(deps.registry), options);
  return { stop, start };
}

/**
 * The services `operation` needs, which run, and with `autoStart` the missing ones started with what
 * they need — only if none of them is blocked (readiness), so a start that cannot finish never begins.
 */
export async function ensureOperation(
  deps: PlatformDeps & { readiness(): Promise<Readiness[]> },
  operation: string,
  { autoStart, ...options }: OperationOptions & { readonly autoStart: boolean },
): Promise<EnsureReport> {
  const required = deps.registry.services.filter((s) => s.required_for.includes(operation)).map((s) => s.name);
  if (required.length === 0) {
    const known = [...new Set(deps.registry.services.flatMap((s) => s.required_for))];
    throw new EngineError(`no service is required for '${operation}'${suggestion(operation, known)}; operations: ${known.join(', ') || 'none'}`);
  }
  // Running means a live process, whatever its health; what is missing has none.
  const runningNow = () => required.filter((name) => isRunning(deps.statusOf(name)));
  const running = runningNow();
  const missing = required.filter((name) => !running.includes(name));
  const answer = (extra: Partial<EnsureReport> = {}): EnsureReport => {
    const now = runningNow();
    return { operation, required, running, missing: required.filter((name) => !now.includes(name)), started: [], ...extra };
  };
  if (!autoStart || missing.length === 0) return answer();
  const involved = startSet(deps.graph, missing).filter((name) => !isRunning(deps.statusOf(name)));
  const blocked = (await deps.readiness()).filter((r) => involved.includes(r.name) && r.verdict === 'blocked');
  if (blocked.length > 0) return answer({ problem: blocked.map((r) => `${r.name} is blocked: ${r.reasons.join('; ')}`).join('; ') });
  const start = await startPlatform(deps, missing, options);
  const started = start.steps.filter((s) => s.outcome === 'done').map((s) => s.name);
  const failed = start.steps.find((s) => s.outcome === 'failed' || s.outcome === 'blocked');
  return answer({ started, start, ...(failed ? { problem: `${failed.name} did not start: ${failed.reason}` } : {}) });
}

function report(operation: PlatformReport['operation'], plan: string[], began: number, ended: number, result: DagRunResult): PlatformReport {
  return { operation, plan, began, ended, cancelled: result.cancelled, steps: result.steps, criticalPath: result.criticalPath };
}
