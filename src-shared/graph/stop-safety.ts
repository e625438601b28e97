/** The seed's can-stop check: a service may stop only when nothing running needs it. */
import type { DependencyGraph } from './dependency-graph';
import { dependentsOf } from './closure';

export interface StopCheck {
  readonly ok: boolean;
  /** Running services that need it, directly or through others, in stop order. */
  readonly runningDependents: readonly string[];
}

export function canStop(graph: DependencyGraph, name: string, isRunning: (service: string) => boolean): StopCheck {
  const runningDependents = dependentsOf(graph, [name]).filter(isRunning);
  return { ok: runningDependents.length === 0, runningDependents };
}
