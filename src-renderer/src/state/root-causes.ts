/**
 * A platform operation's failures as one line per root cause: a step blocked only because a step
 * it waits for failed (dag-run's "waiting for X: …") is not a cause of its own, so a port conflict
 * on the orchestrator reads once, naming what it holds back — not once per dependent.
 */
import type { PlatformReport } from '@shared/contract/platform';

export function rootCauses(report: PlatformReport): string | undefined {
  const failed = report.steps.filter((s) => s.outcome === 'failed' || s.outcome === 'blocked');
  const names = new Set(failed.map((s) => s.name));
  const waitedOn = (reason: string) => /^waiting for ([^:]+):/.exec(reason)?.[1];
  const held = new Map<string, string[]>();
  const roots = failed.filter((step) => {
    const on = waitedOn(step.reason);
    if (on === undefined || !names.has(on)) return true;
    // Down the chain to the step at fault: what it holds back is counted there.
    let root = on;
    for (let hops = 0; hops < names.size; hops++) {
      const next = waitedOn(failed.find((s) => s.name === root)!.reason);
      if (next === undefined || !names.has(next)) break;
      root = next;
    }
    held.set(root, [...(held.get(root) ?? []), step.name]);
    return false;
  });
  if (roots.length === 0) return undefined;
  return roots
    .map((root) => {
      const behind = held.get(root.name) ?? [];
      return `${root.name}: ${root.reason}${behind.length > 0 ? ` (holds back ${behind.join(', ')})` : ''}`;
    })
    .join('\n');
}
