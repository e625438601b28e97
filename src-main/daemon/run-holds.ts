/**
 * What `provisioning run` sessions hold, for one owner: each session's set of services it needs,
 * and the services started for runs that are still to be stopped. A run's end stops what was
 * started for runs only when no other session holds it and nothing else that runs needs it; what
 * another session still holds stays to be stopped by whichever run ends last. Pure bookkeeping
 * over the states it is given: the owner's event loop makes each call atomic.
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { isLive } from '@shared/contract/state-meaning';
import type { DependencyGraph } from '@shared/graph';

/** Nothing of it ran, or it was on its way down (another run's end stopping it): this start brings it up. */
const NOT_RUNNING = new Set<ServiceStatus['state']>(['stopped', 'failed', 'crash-loop', 'conflict', 'stopping']);

export interface Release {
  /** To stop now, in no particular order. */
  readonly stop: string[];
  readonly kept: { name: string; reason: string }[];
}

export class RunHolds {
  /** Each session's held services (the session's own set: cleared when it ends its run). */
  readonly #sessions = new Set<Set<string>>();
  /** Started for some run and not stopped since. */
  readonly #pending = new Set<string>();

  /**
   * A run's plan, as its start begins (before anything of it is launched): `held` holds it, and
   * what does not run now is started for runs. Returns those.
   */
  hold(held: Set<string>, plan: readonly string[], statusOf: (name: string) => ServiceStatus | undefined): string[] {
    this.#sessions.add(held);
    plan.forEach((name) => held.add(name));
    const started = plan.filter((name) => NOT_RUNNING.has(statusOf(name)?.state ?? 'stopped'));
    started.forEach((name) => this.#pending.add(name));
    return started;
  }

  /**
   * Services someone asked for by name outside a run (`services start`, `platform start <names>`):
   * theirs from now on, so no run's end stops them (what they need stays through `release`'s check).
   */
  claim(names: readonly string[]): void {
    names.forEach((name) => this.#pending.delete(name));
  }

  /**
   * Ends the run of `held`: what was started for runs, held by no other session, and needed by no
   * service that runs outside the stop (a service someone started meanwhile) is to be stopped now.
   */
  release(held: Set<string>, graph: DependencyGraph, statusOf: (name: string) => ServiceStatus | undefined): Release {
    held.clear();
    this.#sessions.delete(held);
    const kept: Release['kept'] = [];
    const stop = new Set<string>();
    for (const name of this.#pending) {
      if (!graph.index.has(name)) this.#pending.delete(name);
      else if ([...this.#sessions].some((other) => other.has(name))) kept.push({ name, reason: 'another run needs it' });
      else stop.add(name);
    }
    // A service outside the stop that runs (or waits to) keeps what it needs, and so on down.
    const inUse = (name: string) => {
      const state = statusOf(name)?.state;
      return state !== undefined && (isLive(state) || state === 'blocked');
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const name of stop) {
        const needer = graph.dependents[graph.index.get(name)!]!.map((i) => graph.names[i]!).find((d) => !stop.has(d) && inUse(d));
        if (needer === undefined) continue;
        stop.delete(name);
        // It is the needer's now: no later run's end stops it.
        this.#pending.delete(name);
        kept.push({ name, reason: `${needer} needs it and runs` });
        changed = true;
      }
    }
    stop.forEach((name) => this.#pending.delete(name));
    return { stop: [...stop], kept };
  }
}
