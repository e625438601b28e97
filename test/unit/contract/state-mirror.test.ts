import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@shared/contract/service-state';
import { applyEvent, mirrorOf, type StateMirror } from '@shared/contract/state-mirror';

const status = (name: string, state: ServiceStatus['state']): ServiceStatus => ({ name, mode: 'binary', state, reason: state, since: 0, restarts: 0 });
const event = (seq: number, name: string, state: ServiceStatus['state']) => ({ seq, event: { type: 'state' as const, status: status(name, state) } });

describe('state mirror', () => {
  it('starts from the snapshot and applies each next event', () => {
    let mirror: StateMirror | 'gap' = mirrorOf({ seq: 0, services: [status('api', 'stopped'), status('web', 'stopped')] });
    mirror = applyEvent(mirror, event(1, 'api', 'starting'));
    mirror = applyEvent(mirror as StateMirror, event(2, 'api', 'healthy'));
    expect((mirror as StateMirror).seq).toBe(2);
    expect([...(mirror as StateMirror).services.values()].map((s) => `${s.name} ${s.state}`)).toEqual(['api healthy', 'web stopped']);
  });

  it('ignores what it has seen, and reports a gap instead of guessing', () => {
    const mirror = mirrorOf({ seq: 0, services: [status('api', 'stopped')] });
    const next = applyEvent(mirror, event(1, 'api', 'starting')) as StateMirror;
    expect(applyEvent(next, event(1, 'api', 'starting'))).toBe(next);
    expect(applyEvent(next, event(3, 'api', 'healthy'))).toBe('gap');
    expect(next.services.get('api')!.state).toBe('starting');
    expect(mirror.services.get('api')!.state).toBe('stopped');
  });
});
