/**
 * The engine's services, kept for its whole life: one member per registry service (a supervisor, or
 * a watcher of one that runs elsewhere) and the graph between them. A registry update reconciles
 * the set instead of rebuilding it: a service whose definition changed only in what does not touch
 * its instance (dependencies, description, on_dependency_failure, auto_start…) is changed in place — its process, health
 * history, log and state go on — and only members added, removed or out of date are made or let go.
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { buildGraph, type DependencyGraph } from '@shared/graph';
import type { Registry, ServiceDefinition } from '@shared/model';
import { configHash } from './config-hash';
import type { RemoteService } from './drivers/remote/remote-service';
import type { RegistryDiff } from './platform/registry-diff';
import type { ServiceSupervisor } from './supervisor/service-supervisor';

export type Member = ServiceSupervisor | RemoteService;

export interface MemberFactory {
  /** A member for a service new to the set; it still has to adopt what runs for it. */
  create(service: ServiceDefinition, hash: string): Promise<Member>;
  /** Gives a member a definition with the same configuration hash: what runs goes on under it. */
  redefine(member: Member, service: ServiceDefinition): void;
  /** Lets go of a member that left the set; what it ran was stopped before. */
  dispose(member: Member): Promise<void>;
}

export class ServiceSet {
  readonly #members = new Map<string, Member>();
  #registry: Registry = { services: [] };
  #graph: DependencyGraph = buildGraph([]);

  constructor(private readonly factory: MemberFactory) {}

  get registry(): Registry {
    return this.#registry;
  }

  get graph(): DependencyGraph {
    return this.#graph;
  }

  get(name: string): Member | undefined {
    return this.#members.get(name);
  }

  has(name: string): boolean {
    return this.#members.has(name);
  }

  members(): IterableIterator<Member> {
    return this.#members.values();
  }

  statusOf(name: string): ServiceStatus | undefined {
    return this.#members.get(name)?.status;
  }

  /** The first registry: every member made, then all adopt together. */
  async open(registry: Registry): Promise<void> {
    const added = await this.#create(registry.services);
    this.#use(registry);
    await Promise.all(added.map((member) => member.adopt()));
  }

  /**
   * Definitions that leave the instance alone (`edited`), in place, with the graph rebuilt from
   * them: done first, so that stopping what leaves or is out of date affects only what still needs it.
   */
  editInPlace(next: Registry, diff: RegistryDiff): void {
    for (const name of diff.edited) {
      const service = next.services.find((s) => s.name === name)!;
      this.factory.redefine(this.#members.get(name)!, service);
    }
    const byName = new Map(next.services.map((s) => [s.name, s]));
    this.#use({ services: this.#registry.services.map((s) => (diff.edited.includes(s.name) ? byName.get(s.name)! : s)) });
  }

  /** The rest of an update, once what leaves or is out of date has stopped: the set is then `next`. */
  async complete(next: Registry, diff: RegistryDiff): Promise<void> {
    // An out-of-date member is made anew (its context, env references and check come from its
    // definition); its log and state files are the same, so its history of runs goes on. Until the
    // set is `next`, every name the registry lists has a member: the old one shows its last status.
    for (const name of [...diff.removed, ...diff.changed]) await this.factory.dispose(this.#members.get(name)!);
    const made = await this.#create(next.services.filter((s) => diff.added.includes(s.name) || diff.changed.includes(s.name)));
    for (const name of diff.removed) this.#members.delete(name);
    this.#use(next);
    await Promise.all(made.map((member) => member.adopt()));
  }

  /** Lets every member go (services keep running; the next owner adopts them). */
  async close(): Promise<void> {
    await Promise.all([...this.#members.values()].map((member) => this.factory.dispose(member)));
  }

  async #create(services: readonly ServiceDefinition[]): Promise<Member[]> {
    const made: Member[] = [];
    for (const service of services) {
      const member = await this.factory.create(service, configHash(service));
      this.#members.set(service.name, member);
      made.push(member);
    }
    return made;
  }

  #use(registry: Registry): void {
    this.#registry = registry;
    this.#graph = buildGraph(registry.services);
  }
}
