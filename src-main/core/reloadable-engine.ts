/**
 * An engine whose registry can be replaced while it runs (`platform update`): the running instances
 * of changed services are stopped, the engine is rebuilt on the new registry (adopting everything
 * else, as after a manager restart), and the changed services start again, in dependency order.
 * Services removed from the registry are stopped. Subscribers keep their subscription across.
 */
import type { UpdateReport } from '@shared/contract/platform';
import { isRunning, type StateEvent } from '@shared/contract/service-state';
import type { Registry } from '@shared/model';
import { createEngine, type Engine, type EngineOptions, type StartOptions } from './engine';
import { EngineWarnings } from './engine-warnings';
import { registryDiff } from './platform/registry-diff';
import { GivenEnvironments } from './supervisor/given-environments';

export interface ReloadableEngine extends Engine {
  /** The registry it runs now. */
  readonly registry: Registry;
  /** `env`: the client's values of env references, for what it restarts (else those last given). */
  update(registry: Registry, options?: StartOptions): Promise<UpdateReport>;
}

export async function createReloadableEngine(options: EngineOptions): Promise<ReloadableEngine> {
  const listeners = new Set<(event: StateEvent) => void>();
  const relay = (event: StateEvent) => listeners.forEach((listener) => listener(event));
  let registry = options.registry;
  const warnings = options.warnings ?? new EngineWarnings(options.onWarning);
  // The values each service was given outlive a rebuild: a restart after an update still has them.
  const given = options.given ?? new GivenEnvironments();
  let current = await createEngine({ ...options, warnings, given });
  let unsubscribe = current.subscribe(relay);
  // One update at a time; other calls go to whichever engine is current.
  let updating: Promise<unknown> = Promise.resolve();

  const update = async (next: Registry, startOptions: StartOptions): Promise<UpdateReport> => {
    const diff = registryDiff(registry, next);
    const running = new Set(current.status().filter(isRunning).map((s) => s.name));
    const restart = diff.changed.filter((name) => running.has(name));
    const ending = [...restart, ...diff.removed.filter((name) => running.has(name))];
    const stop = ending.length > 0 ? await current.platformStop(ending, { dependents: false }) : undefined;
    unsubscribe();
    await current.close();
    current = await createEngine({ ...options, warnings, given, registry: next });
    registry = next;
    unsubscribe = current.subscribe(relay);
    current.status().forEach((status) => relay({ type: 'state', status }));
    const start = restart.length > 0 ? await current.platformStart(restart, startOptions) : undefined;
    return { ...diff, ...(stop ? { stop } : {}), ...(start ? { start } : {}) };
  };

  return {
    get home() {
      return current.home;
    },
    get registry() {
      return registry;
    },
    get warnings() {
      return warnings.list;
    },
    status: () => current.status(),
    start: (name, startOptions) => current.start(name, startOptions),
    stop: (name, stopOptions) => current.stop(name, stopOptions),
    restart: (name, startOptions) => current.restart(name, startOptions),
    platformStart: (names, platformOptions) => current.platformStart(names, platformOptions),
    platformStop: (names, platformOptions) => current.platformStop(names, platformOptions),
    lastStart: () => current.lastStart(),
    readiness: (readinessOptions) => current.readiness(readinessOptions),
    healthHistory: (name) => current.healthHistory(name),
    anyActive: () => current.anyActive(),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update: (next, startOptions = {}) => {
      const result = updating.then(() => update(next, startOptions));
      updating = result.catch(() => undefined);
      return result;
    },
    close: async () => {
      await updating;
      unsubscribe();
      await current.close();
      listeners.clear();
    },
  };
}
