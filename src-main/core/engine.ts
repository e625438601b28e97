/**
 * The engine: the live service set, its log pipeline, health monitor and event stream, and the
 * operations every face shares. One engine owns a home's services for its whole life; a registry
 * update reconciles it (service-set.ts). Created by one function with its seams injected, so the
 * daemon, the desktop app and the tests all build the same engine. It never imports a face.
 */
import { join } from 'node:path';
import type { ProbeResult, Readiness } from '@shared/contract/health';
import type { EnsureReport, PlatformReport, RestartReport, UpdatePlan, UpdateReport } from '@shared/contract/platform';
import type { RebuildReport } from '@shared/contract/rebuild';
import { allowedActions } from '@shared/contract/service-actions';
import { isRunning, type ServiceStatus, type StateEvent, type TimelineEvent } from '@shared/contract/service-state';
import { canStop } from '@shared/graph';
import { serviceLinks, suggestion, type HealthCheck, type Link, type Registry, type ServiceDefinition } from '@shared/model';
import { maskDeep, secretMask } from '@shared/model/secret-mask';
import type { ClientEnv } from '@shared/contract/client-env';
import type { UsageSample } from '@shared/contract/usage';
import { DegradedPropagation } from './degraded-propagation';
import { StartError, type RegistryContext, type RunContext, type ServiceDriver } from './drivers/driver';
import { MODES, modeOf } from './drivers/modes';
import { RemoteService } from './drivers/remote/remote-service';
import { DependentsRunningError, EngineError } from './engine-errors';
import { EngineWarnings } from './engine-warnings';
import { EventTimeline, type TimelineQuery } from './events/event-timeline';
import { HealthMonitor } from './health/health-monitor';
import type { ProbeContext } from './health/probe-context';
import { runProbe } from './health/run-probe';
import { logFiles } from './logs/log-files';
import { LogIngest } from './logs/log-ingest';
import { LogWriter, type RotationPolicy } from './logs/log-writer';
import { RawLogIngestor } from './logs/raw-log-ingestor';
import { DesiredState } from './platform/desired-state';
import { readLastStart, writeLastStart } from './platform/last-start';
import { ensureOperation, restartPlatform, startPlatform, stopPlatform, type OperationOptions, type PlatformDeps } from './platform/platform-operations';
import { registryDiff } from './platform/registry-diff';
import { resourceWarnings } from './registry/resource-issues';
import { machineQuestions } from './preflight/machine-questions';
import { preflight, PreflightError } from './preflight/preflight';
import { endOrphanedHooks } from './drivers/binary/hook-orphans';
import { managedProcesses } from './process/managed-processes';
import { homeCgroup, sweepEmptyCgroups } from './process/service-cgroup';
import { readiness } from './readiness';
import { ServiceSet, type Member, type MemberFactory } from './service-set';
import { StateStore } from './state/state-store';
import { systemClock, type Clock } from './supervisor/clock';
import { GivenEnvironments } from './supervisor/given-environments';
import { ServiceSupervisor } from './supervisor/service-supervisor';
import { Strays } from './supervisor/strays';
import { UsageSampler, type UsageTarget } from './usage/usage-sampler';
import { openServiceTerminal, terminalsOf, type TerminalOpen } from './terminals/service-terminals';
import type { TerminalProcess } from './terminals/terminal-process';
import { CascadeRestarts } from './watch/cascade-restarts';
import { WatchController } from './watch/watch-controller';

export interface EngineOptions {
  readonly home: string;
  readonly registry: Registry;
  readonly registryDir: string;
  /**
   * The owner's own environment: the base a service gets (base-environment.ts) and what its tools
   * (docker, compose, helm) run with — never where env references are read.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Where env references are read when a start brings no values of its own: an owner that is its own
   * client (the desktop app's window and tray, an engine in a test). Unset for the daemon, whose
   * environment is only that of the client that happened to start it.
   */
  readonly clientEnv?: Readonly<Record<string, string | undefined>>;
  readonly rotation?: RotationPolicy;
  readonly clock?: Clock;
  /** At most how often a service's output is moved into its log (it is moved when it grows). */
  readonly ingestEveryMs?: number;
  /** How often every running service's CPU and memory is read (0: never, as in a bench that samples itself). */
  readonly usageEveryMs?: number;
  /** Told each distinct problem that does not stop the engine (a corrupt state file, a log write error). */
  readonly onWarning?: (message: string) => void;
}

type Listener = (event: StateEvent) => void;

/** A registry, or how to make one from the registry that runs (undefined: nothing to change). */
export type RegistryChange = Registry | ((running: Registry) => Registry | undefined);

/** States in which a service's process may exist before its status names it. */
const BUSY = new Set<ServiceStatus['state']>(['starting', 'stopping']);

export interface StartOptions {
  /** The client's values of the env references (kept in memory for its restarts); see EngineOptions.clientEnv. */
  readonly env?: ClientEnv;
}

export type PlatformOptions = StartOptions & OperationOptions;

export interface Engine {
  readonly home: string;
  /** The registry it runs now. */
  readonly registry: Registry;
  status(): ServiceStatus[];
  /** The service and what it needs, along the graph; `noDeps`: it alone. */
  start(name: string, options?: PlatformOptions & { readonly noDeps?: boolean }): Promise<ServiceStatus>;
  /** With `dependents: 'refuse'`, refuses while services that need it run (the seed's can-stop). */
  stop(name: string, options?: { readonly dependents?: 'refuse' | 'ignore' }): Promise<ServiceStatus>;
  restart(name: string, options?: StartOptions): Promise<ServiceStatus>;
  /** Builds its image again if its inputs changed; a new image recreates its running container, a failed build leaves it running. */
  rebuild(name: string, options?: StartOptions): Promise<RebuildReport>;
  /** Starts the named services (or the auto-start ones) and their dependencies along the graph. */
  platformStart(names: readonly string[], options?: PlatformOptions): Promise<PlatformReport>;
  /** Stops the named services and what needs them (or everything), dependents first. */
  platformStop(names: readonly string[], options?: OperationOptions & { readonly dependents?: boolean }): Promise<PlatformReport>;
  /** Stops the named services and what needs them (or everything), then starts again what had run. */
  platformRestart(names: readonly string[], options?: PlatformOptions): Promise<RestartReport>;
  /** What `operation` needs (`required_for`): running or not, and with `autoStart` started, all or nothing. */
  ensure(operation: string, options?: PlatformOptions & { readonly autoStart?: boolean }): Promise<EnsureReport>;
  /**
   * Reconciles with a new registry: only what changed is touched (service-set.ts). A function is
   * given the registry that runs when the update's turn comes (updates go one at a time). `env`:
   * values for what it restarts.
   */
  update(registry: RegistryChange, options?: StartOptions): Promise<UpdateReport>;
  /** What `update` with this registry would add, remove, stop and restart, once the updates under way are done; changes nothing. */
  updatePlan(registry: Registry): Promise<Omit<UpdatePlan, 'issues'>>;
  /** The report of the last platform start, if any (kept across restarts). */
  lastStart(): Promise<PlatformReport | undefined>;
  /** `env`: would it start with these values (nothing is kept); else with those it was given. */
  readiness(options?: StartOptions): Promise<Readiness[]>;
  healthHistory(name: string): readonly ProbeResult[];
  /** The events timeline (event-timeline.ts): state changes, oldest first, kept across owner restarts. */
  events(query: TimelineQuery): TimelineEvent[];
  /** Every running service's latest usage samples, oldest first (the second sparkline). */
  usageHistories(last: number): Record<string, UsageSample[]>;
  /** Opens a terminal into a running service (service-terminals.ts); its opening and end are told in its log and the timeline. */
  terminal(name: string, open: TerminalOpen): Promise<TerminalProcess>;
  /** True while any service has a live process or a scheduled restart. */
  anyActive(): boolean;
  /**
   * Turns watching (watch-controller.ts) of the named services (none: all with `watch`) on or off for
   * `holder` (a session; none: the UI's toggle, whose off is off for all). The services watched now.
   */
  watch(names: readonly string[], on: boolean, holder?: object): Promise<string[]>;
  subscribe(listener: Listener): () => void;
  /** Stops supervising (services keep running; the next engine adopts them). */
  close(): Promise<void>;
  /** Problems that did not stop it (a state record set aside, a log write error) of the last hour, oldest first. */
  readonly warnings: readonly string[];
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const warnings = new EngineWarnings(options.onWarning);
  const warn = (message: string) => warnings.add(message);
  const store = await StateStore.open(options.home, warn);
  const timeline = EventTimeline.open(store.dirs.root, warn);
  /** Each supervised service's log writer: a state change's entry names the lifecycle line it just wrote. */
  const writers = new Map<string, LogWriter>();
  /** Each supervised service's run context: where a terminal into it reads its environment. */
  const runContexts = new Map<string, RunContext>();
  const drivers = new Map<string, Promise<ServiceDriver>>();
  const driverOf = (service: ServiceDefinition) => {
    const mode = service.deployment.mode;
    if (!drivers.has(mode)) {
      // A load that failed is tried again by the next member of that mode, not remembered.
      const loading = MODES[mode].driver!(options.env);
      loading.catch(() => drivers.delete(mode));
      drivers.set(mode, loading);
    }
    return drivers.get(mode)!;
  };
  const listeners = new Set<Listener>();
  /** Platform starts waiting for a service's launch (its `started` dependents), by name. */
  const launchWaiters = new Map<string, Set<() => void>>();
  const strays = new Strays(options.home, () => clock.now());
  const statusOf = (name: string) => set.statusOf(name) ?? strays.status(name);
  const propagation = new DegradedPropagation(() => set.members(), statusOf);
  const desired = new DesiredState(() => set.members(), statusOf, clock);
  const tell = (event: StateEvent) => listeners.forEach((listener) => listener(event));
  const cascades = new CascadeRestarts((names, operation) => restartPlatform(platform(), names, operation));
  const watches = new WatchController({
    registryDir: options.registryDir,
    clock,
    services: () => set.registry.services,
    act: async (service, action, why) => {
      const found = member(service.name);
      if (!(found instanceof ServiceSupervisor)) return found.restart();
      if (action === 'upgrade') return found.redeploy(why);
      if (action === 'restart') return found.restart(undefined, why);
      // A build, then a recreate from the new image; a failed build keeps what runs, and throws (said in its log).
      return (await api.rebuild(service.name)).status;
    },
    wanted: (name) => set.get(name)?.wanted === true,
    cascade: async (name) => {
      const { graph } = set;
      const direct = graph.dependents[graph.index.get(name)!]!.map((i) => graph.names[i]!).filter((d) => isRunning(statusOf(d)) || set.get(d)?.wanted);
      return direct.length === 0 ? [] : cascades.run(direct);
    },
    triggered: (name, trigger, line) => {
      const writer = writers.get(name);
      writer?.write('evt', [line]);
      const status = statusOf(name);
      if (!status) return;
      const out = outward(status);
      tell({ type: 'state', status: out, transition: timeline.note(out, trigger, line, writer?.seq) });
    },
    log: (name, line) => writers.get(name)?.write('evt', [line]),
    changed: (name) => {
      const status = statusOf(name);
      if (status) tell({ type: 'state', status: outward(status) });
    },
    warn,
  });
  /** Links of a definition, made once per definition (a status leaves with every event); env file secrets as `${NAME}`. */
  const linkCache = new WeakMap<ServiceDefinition, Link[]>();
  const linksOf = (service: ServiceDefinition): Link[] => {
    let found = linkCache.get(service);
    if (!found) linkCache.set(service, (found = maskDeep(serviceLinks(service), secretMask(service.fromEnvFiles))));
    return found;
  };
  /** Every status leaves the engine with the actions it allows now (service-actions.ts). */
  const outward = (status: ServiceStatus): ServiceStatus => {
    const found = set.get(status.name);
    const used = isRunning(status) ? usage.latest(status.name) : undefined;
    const links = found ? linksOf(found.service) : [];
    const terminals = found instanceof ServiceSupervisor ? terminalsOf(status, found.service) : [];
    return {
      ...status,
      actions: allowedActions(
        status,
        found !== undefined && modeOf(found.service).supervision === 'supervised',
        found !== undefined && modeOf(found.service).rebuilds?.(found.service) === true,
      ),
      ...(terminals.length > 0 ? { terminals } : {}),
      ...(used ? { usage: used } : {}),
      ...(links.length > 0 ? { links: links.map((link) => ({ ...link })) } : {}),
      ...(found?.service.watch ? { watch: watches.stateOf(found.service)! } : {}),
    };
  };
  const emit = (status: ServiceStatus) => {
    const out = outward(status);
    const transition = timeline.record(out, writers.get(status.name)?.seq);
    const event: StateEvent = { type: 'state', status: out, ...(transition ? { transition } : {}) };
    tell(event);
    propagation.run();
    desired.changed();
  };
  // The owner's own environment is every context's base and its tools'; nothing is given to none.
  const probeContext: RegistryContext = { home: options.home, registryDir: options.registryDir, env: options.env, given: {} };
  // Each service reads its env references from what its client gave (given-environments.ts); the
  // shared monitor finds a check's service context by the check itself.
  const given = new GivenEnvironments();
  const previewOf = (service: ServiceDefinition, env: Readonly<Record<string, string | undefined>>): RegistryContext => ({
    ...probeContext,
    given: given.preview(service, env),
  });
  const checkContexts = new WeakMap<HealthCheck, Omit<ProbeContext, 'timeoutMs'>>();
  const probe = (check: HealthCheck) => runProbe(check, checkContexts.get(check) ?? probeContext);
  const monitor = new HealthMonitor(probe, clock);
  const machine = machineQuestions(probeContext);
  const preflightOf = (service: ServiceDefinition, context: RegistryContext) => {
    // A limit this machine cannot enforce does not stop the start, but is said (owner warnings, `services status`).
    resourceWarnings(service).forEach(warn);
    // What a refusal says is shown and logged: its env files' secrets read as ${NAME}.
    const mask = secretMask(service.fromEnvFiles);
    return preflight({ service, context, machine, statusOf }).then((problems) => problems.map(mask));
  };
  // Raw files are drained when the kernel says they grew (a watch on the logs folder), at most this often.
  const ingest = new LogIngest(store.dirs.logs, options.ingestEveryMs ?? 200);
  const usage = new UsageSampler(clock, options.usageEveryMs ?? 2_000);
  // A service's cgroup folder holds its whole tree (only binary services make one); without cgroups, its main process.
  const cgroups = homeCgroup(options.home);
  // A container's engine keeps its counters (the driver reads them); its pid is not in our cgroups.
  const usageTarget = (name: string) => (): UsageTarget | undefined => {
    const found = set.get(name);
    if (found instanceof ServiceSupervisor && found.usage) return found.usage;
    const pid = set.statusOf(name)?.pid;
    if (pid === undefined) return undefined;
    return cgroups ? { cgroup: join(cgroups, name) } : { pid };
  };

  const factory: MemberFactory = {
    create: async (service, hash) => {
      const context = { ...probeContext, given: given.environment(service, options.clientEnv) };
      if (modeOf(service).supervision === 'watched') {
        const remote = new RemoteService(service, { probe, monitor, emit, clock });
        checkContexts.set(remote.check, { ...context, ...(remote.bearer ? { bearer: remote.bearer } : {}) });
        return remote;
      }
      // First: a driver that cannot load leaves nothing opened behind.
      const driver = await driverOf(service);
      const logs = logFiles(store.dirs.logs, service.name);
      const logProblem = (error: Error) => warn(`logs of '${service.name}': ${error.message}`);
      const writer = new LogWriter(logs, options.rotation, undefined, logProblem);
      writers.set(service.name, writer);
      const ingestor = new RawLogIngestor(logs, writer, logProblem);
      const runContext = { ...context, logs, now: () => clock.now() };
      runContexts.set(service.name, runContext);
      if (service.health_check) checkContexts.set(service.health_check, runContext);
      const supervisor = new ServiceSupervisor(
        service,
        hash,
        {
          driver,
          store,
          context: runContext,
          writer,
          ingestor,
          emit,
          probe,
          monitor,
          preflight: (current) => preflightOf(current, runContext),
          dependencyTrouble: (current) => propagation.troubleOf(current),
          launched: () => {
            const waiting = launchWaiters.get(service.name);
            launchWaiters.delete(service.name);
            waiting?.forEach((then) => then());
          },
          clock,
        },
        await store.read(service.name),
      );
      ingest.add(service.name, { writer, ingestor, live: () => supervisor.active });
      usage.add(service.name, usageTarget(service.name));
      return supervisor;
    },
    redefine: (member, service) => {
      if (member instanceof ServiceSupervisor && member.service.health_check && service.health_check) {
        checkContexts.set(service.health_check, checkContexts.get(member.service.health_check)!);
      }
      member.redefine(service);
    },
    dispose: async (member) => {
      await member.detach();
      writers.delete(member.service.name);
      runContexts.delete(member.service.name);
      await ingest.remove(member.service.name);
      usage.remove(member.service.name);
    },
  };
  const set = new ServiceSet(factory);
  const orphans = endOrphanedHooks(options.home);
  if (orphans.length > 0) warn(`ended what hooks of the previous owner left running (pid ${orphans.join(', ')})`);
  await set.open(options.registry);
  strays.add(managedProcesses(options.home).filter((p) => !set.has(p.service)));
  sweepEmptyCgroups(options.home);

  let closed = false;
  /** Calls `then` once a start of `name` has launched its process (or workload); the answer stops waiting. */
  const whenLaunched = (name: string, then: () => void): (() => void) => {
    const waiting = launchWaiters.get(name) ?? new Set();
    launchWaiters.set(name, waiting.add(then));
    return () => waiting.delete(then);
  };
  const member = (name: string): Member => {
    const found = set.get(name);
    if (found) return found;
    throw new EngineError(`unknown service '${name}'${suggestion(name, set.graph.names)}`);
  };
  const known = (names: readonly string[]) => {
    for (const name of names) if (!set.has(name) && !strays.has(name)) member(name);
    return names;
  };
  const stop = async (name: string, { dependents = 'ignore' }: { readonly dependents?: 'refuse' | 'ignore' } = {}) => {
    if (strays.has(name) && !set.has(name)) {
      // Faces listing it as external learn it is gone.
      const stopped = await strays.stop(name);
      emit(stopped);
      return stopped;
    }
    const found = member(name);
    if (dependents === 'refuse') {
      const check = canStop(set.graph, name, (other) => isRunning(statusOf(other)));
      if (!check.ok && isRunning(found.status)) throw new DependentsRunningError(name, check.runningDependents);
    }
    return found.stop();
  };
  /**
   * What a client's start gives once it launches: the values it brings (else an own client's) are
   * the service's from then on. A start of what already runs gives nothing (its check keeps its values).
   */
  const givenBy = (name: string, env: ClientEnv | undefined) => {
    const values = env ?? options.clientEnv;
    return () => {
      if (values) given.give(name, values);
    };
  };
  /**
   * The platform operations over the set as it is now; `env`: what their starts give. `refused`
   * collects the preflight refusals of its starts (a start of one service says its own in full).
   */
  const platform = (env?: ClientEnv, refused?: Map<string, PreflightError>): PlatformDeps => ({
    registry: set.registry,
    graph: set.graph,
    statusOf,
    start: (name, launched) => {
      const off = launched ? whenLaunched(name, launched) : undefined;
      return member(name)
        .start(givenBy(name, env))
        .catch((error: unknown) => {
          if (error instanceof PreflightError) refused?.set(name, error);
          throw error;
        })
        .finally(off);
    },
    stop: (name) => stop(name),
    watched: (name) => set.has(name) && modeOf(member(name).service).supervision === 'watched',
    wanted: (name) => set.get(name)?.wanted === true,
    block: (name, reason) => {
      const found = set.get(name);
      if (!found) return;
      void found.want();
      found.block(reason);
    },
    strays: () => strays.names().filter((name) => !set.has(name)),
    now: () => clock.now(),
  });
  const platformStart = async (names: readonly string[], { env, ...operation }: PlatformOptions = {}, refused?: Map<string, PreflightError>) => {
    const report = await startPlatform(platform(env, refused), known(names), operation);
    await writeLastStart(store.dirs.root, report).catch((error: Error) => warn(`could not keep the start report: ${error.message}`));
    return report;
  };
  const problemsOf = (env: ClientEnv | undefined) => (service: ServiceDefinition) => {
    const found = set.get(service.name);
    return env && found instanceof ServiceSupervisor ? preflightOf(service, previewOf(service, env)) : (found?.preflightProblems() ?? Promise.resolve([]));
  };
  const prepares = (service: ServiceDefinition) => modeOf(service).prepares?.(service, machine) ?? Promise.resolve([]);
  const readinessNow = (env: ClientEnv | undefined) => readiness({ services: set.registry.services, statusOf, problems: problemsOf(env), prepares });

  // Running, or on its way (a start under way has no pid yet; a retry is due): its stop waits for the start.
  const running = (names: readonly string[]) => names.filter((name) => set.get(name)!.active || BUSY.has(statusOf(name)!.state));
  // One update at a time: each reconciles with the set as the previous one left it.
  let updating: Promise<unknown> = Promise.resolve();
  const update = async (change: RegistryChange, env: ClientEnv | undefined): Promise<UpdateReport> => {
    const next = typeof change === 'function' ? change(set.registry) : change;
    if (!next) return { added: [], removed: [], changed: [] };
    const diff = registryDiff(set.registry, next);
    const restart = running(diff.changed);
    const ending = [...restart, ...running(diff.removed)];
    propagation.hold();
    set.editInPlace(next, diff);
    propagation.release();
    const stopped = ending.length > 0 ? await stopPlatform(platform(), ending, { dependents: false }) : undefined;
    propagation.hold();
    try {
      await set.complete(next, diff);
    } finally {
      propagation.release();
    }
    // What waits on a dependency the update changed is told its cause anew (or starts).
    desired.changed();
    const started = restart.length > 0 ? await platformStart(restart, env ? { env } : {}) : undefined;
    await watches.reconcile();
    const { added, removed, changed } = diff;
    return { added, removed, changed, ...(stopped ? { stop: stopped } : {}), ...(started ? { start: started } : {}) };
  };

  const api: Engine = {
    home: options.home,
    get registry() {
      return set.registry;
    },
    get warnings() {
      return warnings.list;
    },
    status: () =>
      [
        ...set.registry.services.map((service) => set.statusOf(service.name)!),
        ...strays
          .names()
          .filter((name) => !set.has(name))
          .map((name) => strays.status(name)!),
      ].map(outward),
    start: async (name, { noDeps = false, env, ...operation } = {}) => {
      if (noDeps || !set.has(name)) return outward(await member(name).start(givenBy(name, env)));
      const refused = new Map<string, PreflightError>();
      const report = await platformStart([name], { ...operation, ...(env ? { env } : {}) }, refused);
      // Its own refusal is the answer, in full; a dependency's shows in its blocked reason.
      if (refused.has(name)) throw refused.get(name);
      // Already serving: asked directly all the same (a remote service takes the client's new token).
      if (report.steps.find((step) => step.name === name)?.outcome === 'skipped') return outward(await member(name).start(givenBy(name, env)));
      return outward(statusOf(name)!);
    },
    stop: async (name, stopOptions) => {
      // Said before it is queued: a cascade's start of it, due after this stop, is withdrawn.
      cascades.stopped([name]);
      return outward(await stop(name, stopOptions));
    },
    restart: async (name, { env } = {}) => outward(await member(name).restart(givenBy(name, env))),
    rebuild: async (name, { env } = {}) => {
      const found = member(name);
      if (!(found instanceof ServiceSupervisor) || !modeOf(found.service).rebuilds?.(found.service)) {
        throw new EngineError(`'${name}' builds no image here: rebuild is for docker services with docker.build and compose services`);
      }
      // A build that failed is a refusal in the registry's terms: said as the engine's answer, in full.
      const { status, build, recreated } = await found.rebuild(givenBy(name, env)).catch((error: unknown) => {
        throw error instanceof StartError ? new EngineError(error.message) : error;
      });
      return { status: outward(status), image: build.image, imageId: build.id, built: build.built, recreated };
    },
    platformStart,
    platformStop: (names, { dependents = true, onPlan, ...operation } = {}) =>
      stopPlatform(platform(), known(names), {
        ...operation,
        dependents,
        onPlan: (plan) => {
          cascades.stopped(plan.plan);
          onPlan?.(plan);
        },
      }),
    platformRestart: async (names, { env, ...operation } = {}) => {
      const report = await restartPlatform(platform(env), known(names), operation);
      await writeLastStart(store.dirs.root, report.start).catch((error: Error) => warn(`could not keep the start report: ${error.message}`));
      return report;
    },
    ensure: (operation, { autoStart = false, env, ...rest } = {}) =>
      ensureOperation({ ...platform(env), readiness: () => readinessNow(env) }, operation, { ...rest, autoStart }),
    update: (next, { env } = {}) => {
      const result = updating.then(() => update(next, env));
      updating = result.catch(() => undefined);
      return result;
    },
    updatePlan: async (next) => {
      await updating;
      const { added, removed, changed } = registryDiff(set.registry, next);
      return { added, removed, changed, stop: running(removed), restart: running(changed) };
    },
    lastStart: () => readLastStart(store.dirs.root),
    healthHistory: (name) => member(name).healthHistory,
    events: (query) => timeline.query(query),
    usageHistories: (last) => usage.histories(last),
    terminal: async (name, open) => {
      const found = member(name);
      const context = runContexts.get(name);
      if (!(found instanceof ServiceSupervisor) || !context) throw new EngineError(`'${name}' is not run here: it has no terminal`);
      const mask = secretMask(found.service.fromEnvFiles);
      // A line in its log and an entry in the timeline, given to subscribers as the state events that carry them.
      const tell = (text: string, note: Parameters<typeof timeline.terminalNote>[1]) => {
        const logSeq = writers
          .get(name)
          ?.write('evt', [mask(text)])
          .at(-1)?.seq;
        const status = outward(found.status);
        const transition = timeline.terminalNote(status, note, mask(text), clock.now(), logSeq);
        listeners.forEach((listener) => listener({ type: 'state', status, transition }));
      };
      const target = { service: found.service, status: outward(found.status), driver: await driverOf(found.service), context, tell };
      return openServiceTerminal({ ...target, record: (await store.read(name))?.process }, open);
    },
    watch: (names, on, holder) => watches.set(names, on, holder),
    readiness: ({ env } = {}) => readinessNow(env),
    anyActive: () => strays.names().length > 0 || [...set.members()].some((m) => m.active),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      // Closing twice (a face and its owner both closing) is harmless.
      if (closed) return;
      closed = true;
      watches.close();
      cascades.close();
      desired.close();
      await updating;
      // Let an operation under way (a stop waiting out its stop_timeout) finish before the lock goes.
      const deadline = Math.max(0, ...set.registry.services.map((s) => s.startup.stop_timeout)) + 5_000;
      await Promise.race([set.close(), new Promise((resolve) => setTimeout(resolve, deadline).unref())]);
      monitor.close();
      usage.close();
      await ingest.close();
      await timeline.close();
      for (const driver of drivers.values()) (await driver.catch(() => undefined))?.close?.();
      listeners.clear();
    },
  };
  return api;
}
