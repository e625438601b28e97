/**
 * Running services whose dependency does not hold its condition (serving, unless the edge says
 * started or completed: dependency-schema.ts) are degraded, with the cause, and healthy again
 * once it serves (or stopped, or restarted, by their `on_dependency_failure`: DependencyReaction).
 * Run after every state change, and once after a registry update has made the set consistent.
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { satisfies } from '@shared/contract/state-meaning';
import { conditionOf, type ServiceDefinition } from '@shared/model';

export interface PropagationMember {
  readonly service: ServiceDefinition;
  readonly status: ServiceStatus;
  dependencyProblem(cause: string | undefined): void;
}

export class DegradedPropagation {
  #running = false;
  #held = false;

  constructor(
    private readonly members: () => Iterable<PropagationMember>,
    private readonly statusOf: (name: string) => ServiceStatus | undefined,
  ) {}

  /** Why a dependency of `service` does not hold its condition (serving, by default), if one does not. */
  troubleOf(service: ServiceDefinition): string | undefined {
    const troubled = service.dependencies.map((name) => this.statusOf(name)).find((s) => s && !satisfies(conditionOf(service, s.name), s.state));
    return troubled ? `dependency ${troubled.name} is ${troubled.state}: ${troubled.reason}` : undefined;
  }

  /** While held (a registry update half applied), nothing propagates; `release` runs it once. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    this.run();
  }

  run(): void {
    if (this.#running || this.#held) return;
    this.#running = true;
    try {
      // Repeat until nothing changes: a service turning degraded can degrade its own dependents.
      for (let changed = true; changed; ) {
        changed = false;
        for (const member of this.members()) {
          const before = member.status;
          member.dependencyProblem(this.troubleOf(member.service));
          changed ||= member.status !== before;
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
