/**
 * What the user asked to run stays asked for until they stop it (ServiceRecord.wanted, kept across
 * owners). A wanted service that is blocked — a dependency not holding its edge's condition (serving
 * by default; started; a task completed), or a preflight problem —
 * starts by itself once that clears: a dependency back by its restart policy or started by hand, a
 * port freed, a variable given. Until then its reason names the cause as it is now, never a stale one.
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { satisfies } from '@shared/contract/state-meaning';
import { conditionOf, type DependencyCondition, type ServiceDefinition } from '@shared/model';
import type { Clock } from '../supervisor/clock';

export interface WantedMember {
  readonly service: ServiceDefinition;
  readonly status: ServiceStatus;
  readonly wanted: boolean;
  readonly active: boolean;
  block(reason: string): void;
  /** Starts it if, when its turn comes, it is still wanted and blocked; a preflight problem keeps it blocked. */
  startIfWanted(why: string): Promise<ServiceStatus>;
}

/** How often a service blocked by a preflight problem asks again (nothing tells us when a port is freed). */
const RECHECK_MS = 2_000;

export class DesiredState {
  #scheduled = false;
  #recheck: unknown;
  #closed = false;
  /** Being checked or started now: one attempt at a time per service. */
  readonly #trying = new Set<string>();

  constructor(
    private readonly members: () => Iterable<WantedMember>,
    private readonly statusOf: (name: string) => ServiceStatus | undefined,
    private readonly clock: Clock,
  ) {}

  /** After any state change; one pass per turn however many changes came. */
  changed(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pass();
    });
  }

  close(): void {
    this.#closed = true;
    if (this.#recheck !== undefined) this.clock.clearTimeout(this.#recheck);
  }

  #pass(): void {
    if (this.#closed) return;
    for (const member of this.members()) {
      const { name } = member.service;
      if (!member.wanted || member.active || member.status.state !== 'blocked' || this.#trying.has(name)) continue;
      const { service } = member;
      const waiting = service.dependencies.filter((dependency) => !satisfies(conditionOf(service, dependency), this.statusOf(dependency)?.state));
      if (waiting.length === 0) void this.#attempt(member);
      else if (!waiting.every((dependency) => this.#names(member.status.reason, dependency)))
        member.block(waiting.map((dependency) => this.#waitingFor(dependency, conditionOf(service, dependency))).join('; '));
    }
  }

  /** The reason shown already names the dependency as it is now (a reaction's "stopped because …" stays). */
  #names(reason: string, dependency: string): boolean {
    const status = this.statusOf(dependency);
    return status !== undefined && reason.includes(dependency) && reason.includes(`${status.state}: ${status.reason}`);
  }

  #waitingFor(dependency: string, condition: DependencyCondition): string {
    const status = this.statusOf(dependency);
    const what = condition === 'healthy' ? dependency : `${dependency} to be ${condition}`;
    return status ? `waiting for ${what}, which is ${status.state}: ${status.reason}` : `waiting for ${what}, which is not known`;
  }

  async #attempt(member: WantedMember): Promise<void> {
    const { name } = member.service;
    this.#trying.add(name);
    try {
      const status = await member.startIfWanted('what blocked it is cleared');
      // Still blocked: a preflight problem, which nothing announces the end of.
      if (status.state === 'blocked') this.#recheckLater();
    } catch {
      // A start that failed says so in its status and log; the service is no longer blocked.
    } finally {
      this.#trying.delete(name);
    }
  }

  #recheckLater(): void {
    if (this.#recheck !== undefined || this.#closed) return;
    const timer = this.clock.setTimeout(() => {
      this.#recheck = undefined;
      this.changed();
    }, RECHECK_MS);
    timer.unref();
    this.#recheck = timer;
  }
}
