/**
 * The engine's watches: which services are watched (off until someone turns it on), by whom —
 * a `platform watch` session holds its services until its connection ends, the UI's toggle until it
 * is turned off — and what a trigger does. A burst of changes runs the service's action through the
 * engine (a restart of its whole process tree; a rebuild; a chart upgrade), only while the service
 * is wanted; with `cascade`, once it serves again, its dependents are restarted once, in dependency
 * order. A watched dependent whose own changes came in the same burst restarts once, with the
 * cascade: its trigger waits for its dependencies' ones, and the cascade takes the changes of it
 * that wait. Each trigger is told (its log line, the timeline, the status's `lastTrigger`).
 */
import type { ServiceStatus } from '@shared/contract/service-state';
import { SERVING } from '@shared/contract/state-meaning';
import { triggerLine, type ServiceWatch as WatchState, type WatchOutcome, type WatchTrigger } from '@shared/contract/watch';
import type { ServiceDefinition } from '@shared/model';
import { EngineError } from '../engine-errors';
import type { Clock } from '../supervisor/clock';
import { ServiceWatch, type Burst, type Changes } from './service-watch';
import { WatchBudget } from './watch-budget';

export interface WatchControllerDeps {
  readonly registryDir: string;
  readonly clock: Clock;
  readonly budget?: WatchBudget;
  /** The services of the registry that runs, in its order. */
  services(): readonly ServiceDefinition[];
  /** Runs a trigger's action on the service; its status once that is over. */
  act(service: ServiceDefinition, action: WatchOutcome, why: string): Promise<ServiceStatus>;
  /** The user asked for it to run (a change of a stopped service's files starts nothing). */
  wanted(name: string): boolean;
  /** Restarts what depends on it and runs (transitively, in dependency order); the names restarted. */
  cascade(name: string): Promise<string[]>;
  /** A trigger happened: its line goes into the service's log and the timeline, its status to the faces. */
  triggered(name: string, trigger: WatchTrigger, line: string): void;
  /** A lifecycle line in the service's log that changes no state. */
  log(name: string, line: string): void;
  /** Its watch state changed (on, off): its status goes to the faces. */
  changed(name: string): void;
  warn(message: string): void;
}

/** The UI's toggle: one holder for every face that flips it (off means off, whoever turned it on). */
const TOGGLE = Symbol('watch toggle');
type Holder = object | typeof TOGGLE;

export class WatchController {
  readonly #budget: WatchBudget;
  readonly #holders = new Map<string, Set<Holder>>();
  readonly #watches = new Map<string, ServiceWatch>();
  readonly #last = new Map<string, WatchTrigger>();
  /** Watches being opened: turning one off waits for its folders, so nothing outlives its off. */
  readonly #opening = new Map<string, Promise<void>>();
  /** The last cascade that restarted a service: which service's it was, and when it began (a count of triggers and cascades, not a time). */
  readonly #cascaded = new Map<string, { readonly by: string; readonly tick: number }>();
  #ticks = 0;

  constructor(private readonly deps: WatchControllerDeps) {
    this.#budget = deps.budget ?? new WatchBudget();
  }

  /** Folders watched now, across services. */
  get folders(): number {
    return this.#budget.used;
  }

  /**
   * Turns watching of `names` (none: every service with a `watch` table) on or off for `holder`
   * (none: the UI's toggle, whose off turns it off for every holder). Resolves once the folders are
   * watched, with the services watched now.
   */
  async set(names: readonly string[], on: boolean, holder?: object): Promise<string[]> {
    const watchable = this.deps.services().filter((s) => s.watch);
    const targets = names.length === 0 ? watchable.map((s) => s.name) : names.map((name) => this.#watchable(name));
    if (targets.length === 0 && on) throw new EngineError('no service has a `watch` table: add watch = { paths = ["src/**"] } to one in the registry');
    await Promise.all(
      targets.map(async (name) => {
        const holders = this.#holders.get(name) ?? new Set<Holder>();
        if (on) holders.add(holder ?? TOGGLE);
        else if (holder) holders.delete(holder);
        else holders.clear();
        this.#holders.set(name, holders);
        await this.#apply(name);
      }),
    );
    return this.watching();
  }

  watching(): string[] {
    return this.deps
      .services()
      .map((s) => s.name)
      .filter((name) => this.#watches.has(name));
  }

  /** Its watch state, for its status: absent when it has no `watch` table. */
  stateOf(service: ServiceDefinition): WatchState | undefined {
    if (!service.watch) return undefined;
    const last = this.#last.get(service.name);
    return { on: this.#watches.has(service.name), ...(last ? { lastTrigger: last } : {}) };
  }

  /** After a registry update: a watch whose table changed is made anew; one whose service or table went ends. */
  async reconcile(): Promise<void> {
    const byName = new Map(this.deps.services().map((s) => [s.name, s]));
    for (const name of [...this.#holders.keys()]) {
      const watch = byName.get(name)?.watch;
      if (!watch) this.#holders.delete(name);
      const running = this.#watches.get(name);
      if (running && watch && JSON.stringify(running.config) !== JSON.stringify(watch)) this.#end(name);
      await this.#apply(name);
    }
  }

  close(): void {
    for (const name of [...this.#watches.keys()]) this.#end(name);
    this.#holders.clear();
  }

  #watchable(name: string): string {
    const service = this.deps.services().find((s) => s.name === name);
    if (!service) throw new EngineError(`unknown service '${name}'`);
    if (!service.watch) throw new EngineError(`'${name}' has no \`watch\` table: add watch = { paths = ["src/**"] } to services.${name} in the registry`);
    return name;
  }

  async #apply(name: string): Promise<void> {
    await this.#opening.get(name);
    const wanted = (this.#holders.get(name)?.size ?? 0) > 0;
    const config = this.deps.services().find((s) => s.name === name)?.watch;
    if (wanted && config && !this.#watches.has(name)) {
      const watch = new ServiceWatch({
        name,
        config,
        registryDir: this.deps.registryDir,
        budget: this.#budget,
        clock: this.deps.clock,
        run: (burst) => this.#trigger(name, burst),
        warn: (message) => {
          this.deps.warn(message);
          this.deps.log(name, message);
        },
      });
      this.#watches.set(name, watch);
      const opening = watch.open();
      this.#opening.set(name, opening);
      await opening.finally(() => this.#opening.delete(name));
      this.deps.log(name, `watch: on (${config.paths.join(', ')}; ${watch.folders} folder${watch.folders === 1 ? '' : 's'})`);
      this.deps.changed(name);
    } else if (!wanted && this.#watches.has(name)) {
      this.#end(name);
      this.deps.log(name, 'watch: off');
      this.deps.changed(name);
    }
  }

  #end(name: string): void {
    this.#watches.get(name)?.close();
    this.#watches.delete(name);
  }

  async #trigger(name: string, burst: Burst): Promise<void> {
    const since = ++this.#ticks;
    // A dependency's trigger under way may cascade into a restart of this one: it goes first.
    await Promise.all(this.#cascadingUpstream(name).map((watch) => watch.idle()));
    const service = this.deps.services().find((s) => s.name === name);
    if (!service?.watch || !this.#watches.has(name)) return;
    const { trigger, line } = this.#told(service, burst);
    const cascaded = this.#cascaded.get(name);
    if (trigger.action === 'restart' && cascaded && cascaded.tick > since) {
      this.deps.triggered(name, trigger, doneBy(line, cascaded.by));
      return;
    }
    if (!this.deps.wanted(name)) {
      this.deps.triggered(name, trigger, `${line}: skipped, it is not running (a start runs the new files)`);
      return;
    }
    this.deps.triggered(name, trigger, line);
    const status = await this.deps.act(service, trigger.action, line);
    if (!service.watch.cascade) return;
    if (!SERVING.has(status.state)) {
      this.deps.log(name, `watch: ${status.state} after the ${trigger.action}: its dependents are left as they are`);
      return;
    }
    const restarted = await this.#cascade(name);
    if (restarted.length > 0) this.deps.log(name, `watch: restarted what depends on it: ${restarted.join(', ')}`);
  }

  /** Its trigger for `burst`, as its status keeps it and its log line. */
  #told(service: ServiceDefinition, burst: Burst): { trigger: WatchTrigger; line: string } {
    const trigger: WatchTrigger = { file: printable(burst.first), more: burst.count - 1, at: this.deps.clock.now(), action: outcomeOf(service) };
    this.#last.set(service.name, trigger);
    return { trigger, line: triggerLine(trigger) };
  }

  /** Restarts what depends on `name`; the watched ones' changes that wait to run are taken into that restart (given back to whichever it did not restart). */
  async #cascade(name: string): Promise<string[]> {
    const tick = ++this.#ticks;
    const absorbed = new Map<string, Changes>();
    for (const dependent of this.#related(name, 'dependents')) {
      const watch = this.#watches.get(dependent.name);
      const changes = dependent.watch && outcomeOf(dependent) === 'restart' ? watch?.absorb() : undefined;
      if (changes) absorbed.set(dependent.name, changes);
    }
    let restarted: string[] = [];
    try {
      restarted = await this.deps.cascade(name);
    } finally {
      for (const done of restarted) this.#cascaded.set(done, { by: name, tick });
      for (const [dependent, changes] of absorbed) {
        const service = this.deps.services().find((s) => s.name === dependent);
        if (service && restarted.includes(dependent)) {
          const { trigger, line } = this.#told(service, changes.burst());
          this.deps.triggered(dependent, trigger, doneBy(line, name));
        } else this.#watches.get(dependent)?.restore(changes);
      }
    }
    return restarted;
  }

  /** The watches of what `name` depends on (transitively) that cascade and have a trigger waiting or under way; none when its own trigger is no restart. */
  #cascadingUpstream(name: string): ServiceWatch[] {
    const service = this.deps.services().find((s) => s.name === name);
    if (!service || outcomeOf(service) !== 'restart') return [];
    return this.#related(name, 'dependencies').flatMap((upstream) => {
      const watch = this.#watches.get(upstream.name);
      return upstream.watch?.cascade && watch?.busy ? [watch] : [];
    });
  }

  /** The services `name` depends on, or that depend on it, transitively. */
  #related(name: string, direction: 'dependencies' | 'dependents'): ServiceDefinition[] {
    const services = this.deps.services();
    const next = (of: string) =>
      direction === 'dependencies'
        ? (services.find((s) => s.name === of)?.dependencies ?? [])
        : services.filter((s) => s.dependencies.includes(of)).map((s) => s.name);
    const found = new Set<string>();
    for (const pending = next(name); pending.length > 0; ) {
      const current = pending.pop()!;
      if (current === name || found.has(current)) continue;
      found.add(current);
      pending.push(...next(current));
    }
    return services.filter((s) => found.has(s.name));
  }
}

/** A trigger whose changes a dependency's cascade restart covered. */
const doneBy = (line: string, upstream: string) => `${line}: done by the restart after '${upstream}'`;

// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A file name as its log line, the timeline and the faces show it: control characters written as JSON writes them (a newline in a name would forge a log line, an ESC recolour a terminal). */
const printable = (name: string): string => name.replace(CONTROL, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What a trigger does to this service: `rebuild` as asked; a Helm chart's restart is an upgrade. */
function outcomeOf(service: ServiceDefinition): WatchOutcome {
  if (service.watch?.action === 'rebuild') return 'rebuild';
  return service.deployment.mode === 'kubernetes' && service.deployment.kubernetes?.helm ? 'upgrade' : 'restart';
}
