/**
 * Runs one step per service along the dependency graph, each the moment its prerequisites are done —
 * not in layers, not one at a time — with `order` as priority among the ready ones. A failed step
 * blocks what waits for it (with the cause) while independent branches go on; a cancel launches
 * nothing more and lets the steps under way finish. Start waits for dependencies, stop for dependents.
 * An edge that waits only for its prerequisite to be under way (a `started` dependency) is released
 * when that step says it has launched, or else when it is done.
 */
import type { Step } from '@shared/contract/platform';
import { MinHeap } from '@shared/graph/min-heap';

export interface StepResult {
  /** done: it happened; skipped: it already was so (counts as done for what waits). */
  readonly outcome: 'done' | 'skipped' | 'failed';
  readonly reason: string;
}

export interface DagRunOptions {
  /** The services to run, with what each waits for (only those of the run count). */
  readonly steps: readonly string[];
  readonly waitsFor: (name: string) => readonly string[];
  /** Lower runs first among the ready; distinct per step (the graph's rank). */
  readonly priority: (name: string) => number;
  /** `launched`: the step's service is under way (what waits on it `early` may go). */
  readonly run: (name: string, launched: () => void) => Promise<StepResult>;
  /** The edge from `waiter` to `prerequisite` is released once the prerequisite has launched. */
  readonly early?: (waiter: string, prerequisite: string) => boolean;
  /** Told when a step will not run because something it waits for failed. */
  readonly onBlocked?: (name: string, reason: string) => void;
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
  readonly now?: () => number;
}

export interface DagRunResult {
  readonly steps: Step[];
  readonly cancelled: boolean;
  readonly criticalPath: string[];
}

export function runDag(options: DagRunOptions): Promise<DagRunResult> {
  const now = options.now ?? Date.now;
  const members = new Set(options.steps);
  const waits = new Map(options.steps.map((name) => [name, options.waitsFor(name).filter((other) => members.has(other) && other !== name)]));
  const waiters = new Map(options.steps.map((name) => [name, [] as string[]]));
  for (const [name, prerequisites] of waits) for (const prerequisite of prerequisites) waiters.get(prerequisite)!.push(name);
  const remaining = new Map([...waits].map(([name, prerequisites]) => [name, prerequisites.length]));
  const ready = new MinHeap(options.steps.map(options.priority));
  const position = new Map(options.steps.map((name, i) => [name, i]));
  const results = new Map<string, Step>();
  const finished: Step[] = [];
  let running = 0;
  const limit = options.concurrency ?? 32;
  /** Edges already released (`waiter\0prerequisite`): a launch and the step's end count once. */
  const released = new Set<string>();
  const release = (waiter: string, prerequisite: string): boolean => {
    const edge = `${waiter}\0${prerequisite}`;
    if (released.has(edge) || results.has(waiter)) return false;
    released.add(edge);
    return remaining.set(waiter, remaining.get(waiter)! - 1).get(waiter) === 0;
  };

  return new Promise((resolve) => {
    const settle = (step: Step) => {
      results.set(step.name, step);
      finished.push(step);
    };
    const block = (name: string, reason: string) => {
      if (results.has(name)) return;
      settle({ name, outcome: 'blocked', reason });
      options.onBlocked?.(name, reason);
      for (const waiter of waiters.get(name)!) block(waiter, `waiting for ${name}: ${reason}`);
    };
    const pump = () => {
      while (!options.signal?.aborted && running < limit && ready.size > 0) void launch(options.steps[ready.pop()!]!);
      if (running > 0) return;
      const cancelled = options.signal?.aborted ?? false;
      for (const name of options.steps) if (!results.has(name)) settle({ name, outcome: 'cancelled', reason: 'cancelled before it began' });
      resolve({ steps: finished, cancelled, criticalPath: criticalPath(finished, waits) });
    };
    const launch = async (name: string) => {
      running++;
      const began = now();
      let result: StepResult;
      const launched = () => {
        const go = waiters.get(name)!.filter((waiter) => options.early?.(waiter, name) && release(waiter, name));
        go.forEach((waiter) => ready.push(position.get(waiter)!));
        if (go.length > 0) pump();
      };
      try {
        result = await options.run(name, launched);
      } catch (error) {
        result = { outcome: 'failed', reason: (error as Error).message };
      }
      running--;
      settle({ name, ...result, began, ended: now() });
      for (const waiter of waiters.get(name)!) {
        // Released at its launch: it is under way, whatever became of what it waited for.
        if (released.has(`${waiter}\0${name}`)) continue;
        if (result.outcome === 'failed') block(waiter, `waiting for ${name}: failed, ${result.reason}`);
        else if (release(waiter, name)) ready.push(position.get(waiter)!);
      }
      pump();
    };
    for (const [name, count] of remaining) if (count === 0) ready.push(position.get(name)!);
    options.signal?.addEventListener('abort', pump, { once: true });
    pump();
  });
}

/** From the step that ended last, back through the prerequisite each one waited for longest. */
function criticalPath(steps: readonly Step[], waits: ReadonlyMap<string, readonly string[]>): string[] {
  const byName = new Map(steps.filter((s) => s.ended !== undefined).map((s) => [s.name, s]));
  let last: Step | undefined;
  for (const step of byName.values()) if (!last || step.ended! > last.ended!) last = step;
  const path: string[] = [];
  for (let step = last; step; ) {
    path.unshift(step.name);
    const prerequisites = (waits.get(step.name) ?? []).map((name) => byName.get(name)).filter((s): s is Step => s !== undefined);
    step = prerequisites.reduce<Step | undefined>((latest, s) => (!latest || s.ended! > latest.ended! ? s : latest), undefined);
  }
  return path;
}
