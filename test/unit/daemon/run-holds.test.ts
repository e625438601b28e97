/** A run's holds: a service someone starts by name during a run is theirs, and the run's end leaves it (and what it needs) running. */
import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { buildGraph } from '@shared/graph';
import { RunHolds } from '../../../src-main/daemon/run-holds';

const graph = buildGraph([
  { name: 'api', order: 0, dependencies: ['db'] },
  { name: 'db', order: 0, dependencies: [] },
]);
const states = (state: ServiceStatus['state']) => (name: string) => ({ name, state }) as ServiceStatus;

describe('run holds', () => {
  it('stops at its end what a run started', () => {
    const holds = new RunHolds();
    const held = new Set<string>();
    expect(holds.hold(held, ['db', 'api'], states('stopped'))).toEqual(['db', 'api']);
    expect(holds.release(held, graph, states('healthy')).stop.sort()).toEqual(['api', 'db']);
  });

  it('leaves what someone asked for by name meanwhile, and what it needs', () => {
    const holds = new RunHolds();
    const held = new Set<string>();
    holds.hold(held, ['db', 'api'], states('stopped'));
    holds.claim(['api']);
    const release = holds.release(held, graph, states('healthy'));
    expect(release.stop).toEqual([]);
    expect(release.kept).toEqual([{ name: 'db', reason: 'api needs it and runs' }]);
  });
});
