/**
 * What a running service does about a dependency in trouble, by its `on_dependency_failure`:
 * ignore — turn degraded with the cause, and healthy again with its dependencies; restart — the
 * same, then restart once they recover (to reconnect); stop — stop (shown blocked) while they are
 * down, and start again after. A small policy object over the supervisor's own operations.
 */
import type { ServiceDefinition } from '@shared/model';
import type { ServiceState } from '@shared/contract/service-state';

export interface ReactionTarget {
  /** It runs, and is neither ending nor being stopped. */
  live(): boolean;
  state(): ServiceState;
  degrade(cause: string): void;
  recover(): void;
  stopFor(cause: string): void;
  start(): Promise<unknown>;
  restart(): Promise<unknown>;
}

export class DependencyReaction {
  #onRecovery: 'start' | 'restart' | undefined;
  #restarting = false;

  constructor(
    /** The service's `on_dependency_failure`; a registry update may change it in place. */
    public policy: ServiceDefinition['on_dependency_failure'],
    private readonly target: ReactionTarget,
  ) {}

  /** The user acted: nothing pending from an earlier trouble applies any more. */
  forget(): void {
    this.#onRecovery = undefined;
  }

  /** `cause` while a dependency is in trouble; undefined once all are healthy. */
  onTrouble(cause: string | undefined): void {
    const { target } = this;
    const live = target.live();
    if (cause) {
      if (!live) return;
      if (this.policy === 'stop') {
        // Once: every state change runs the propagation again while the stop is under way.
        if (this.#onRecovery !== 'start') target.stopFor(cause);
        this.#onRecovery = 'start';
      } else if (target.state() === 'healthy') {
        target.degrade(cause);
        if (this.policy === 'restart') this.#onRecovery = 'restart';
      }
      return;
    }
    const then = this.#onRecovery;
    this.#onRecovery = undefined;
    if (then === 'start') void target.start().catch(() => undefined);
    else if (then === 'restart' && live) {
      this.#restarting = true;
      void target
        .restart()
        .catch(() => undefined)
        .finally(() => (this.#restarting = false));
    } else if (live && target.state() === 'degraded' && !this.#restarting) target.recover();
  }
}
