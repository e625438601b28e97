/**
 * The `watch` method: the UI's toggle turns a service's watching on or off until turned again; a
 * holding call (`platform watch`) turns it on for as long as its connection lasts — its hold is one
 * of the connection's operations, so its end (or `cancel`, as Ctrl-C sends) turns it off again.
 */
import type { CheckedParams, Result } from '@shared/contract/methods';
import type { Engine } from '../core/engine';
import type { SessionContext } from './contract-session';

export function watchHandler(engine: Pick<Engine, 'watch'>) {
  return async ({ names, on, hold }: CheckedParams<'watch'>, session: SessionContext): Promise<Result<'watch'>> => {
    if (!hold || !on) return { watching: await engine.watch(names, on) };
    // The session itself holds (one hold per connection, whatever it names).
    const holder = session.operations;
    const watching = await engine.watch(names, true, holder);
    const release = new AbortController();
    release.signal.addEventListener('abort', () => {
      session.operations.delete(release);
      void engine.watch(names, false, holder).catch(() => undefined);
    });
    session.operations.add(release);
    return { watching };
  };
}
