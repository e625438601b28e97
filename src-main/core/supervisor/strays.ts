/**
 * Processes this home started for services the engine does not supervise: removed from the registry,
 * renamed, or moved to a mode without a driver. They are ours, so they are never left unseen: they
 * are listed as `external` and can be stopped by name, but nothing restarts them. Only processes of
 * our own uid are found (managedProcesses): another user's forged markers make no ghost here.
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { instanceLeader, type ManagedProcess } from '../process/managed-processes';
import { isAlive } from '../process/process-identity';
import { terminate } from '../process/terminate';

const STOP_TIMEOUT_MS = 10_000;

export class Strays {
  readonly #byService = new Map<string, ManagedProcess[]>();
  readonly #since: number;

  constructor(
    private readonly home: string,
    private readonly now: () => number,
  ) {
    this.#since = now();
  }

  /** Takes note of processes found by their markers that no supervisor took. */
  add(found: readonly ManagedProcess[]): void {
    for (const process of found) this.#byService.set(process.service, [...(this.#byService.get(process.service) ?? []), process]);
  }

  /** Services with a stray process still alive. */
  names(): string[] {
    return [...this.#byService].filter(([, processes]) => processes.some(isAlive)).map(([name]) => name);
  }

  has(name: string): boolean {
    return this.names().includes(name);
  }

  status(name: string): ServiceStatus | undefined {
    const alive = (this.#byService.get(name) ?? []).filter(isAlive);
    if (alive.length === 0) return undefined;
    const leader = instanceLeader(alive, alive[0]!.instance)!;
    return {
      name,
      mode: 'binary',
      state: 'external',
      reason: 'started from this home but not supervised (not in the registry, or its mode changed); it can be stopped by name',
      since: this.#since,
      pid: leader.pid,
      restarts: 0,
    };
  }

  async stop(name: string): Promise<ServiceStatus> {
    const processes = this.#byService.get(name) ?? [];
    for (const instance of new Set(processes.map((p) => p.instance))) {
      await terminate({ home: this.home, instance, leader: instanceLeader(processes, instance)! }, STOP_TIMEOUT_MS);
    }
    this.#byService.delete(name);
    return { name, mode: 'binary', state: 'stopped', reason: 'stopped by user', since: this.now(), restarts: 0 };
  }
}
