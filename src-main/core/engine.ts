/**
 * The engine: one supervisor per service of the registry, the log pipeline, and the event stream.
 * Created by one function with its seams injected, so the daemon, the desktop app and the tests all
 * build the same engine. It never imports a face (CLI, web, electron).
 */
import { createHash } from 'node:crypto';
import type { ProbeResult, Readiness } from '@shared/contract/health';
import { isRunning, SERVING, type ServiceStatus, type StateEvent } from '@shared/contract/service-state';
import type { PlatformReport } from '@shared/contract/platform';
import { buildGraph, canStop } from '@shared/graph';
import { suggestion, type DeploymentMode, type HealthCheck, type Registry, type ServiceDefinition } from '@shared/model';
import { BinaryDriver } from './drivers/binary/binary-driver';
import { ComposeDriver } from './drivers/compose/compose-driver';
import { DockerDriver } from './drivers/docker/docker-driver';
import { KubernetesDriver } from './drivers/kubernetes/kubernetes-driver';
import { RemoteService } from './drivers/remote/remote-service';
import type { RegistryContext, ServiceDriver } from './drivers/driver';
import { logFiles } from './logs/log-files';
import { LogWriter, type RotationPolicy } from './logs/log-writer';
import { RawLogIngestor } from './logs/raw-log-ingestor';
import { managedProcesses } from './process/managed-processes';
import { StateStore } from './state/state-store';
import { EngineWarnings } from './engine-warnings';
import { Strays } from './supervisor/strays';
import type { ClientEnv } from '@shared/contract/client-env';
import { GivenEnvironments } from './supervisor/given-environments';
import { HealthMonitor } from './health/health-monitor';
import { runProbe } from './health/run-probe';
import type { ProbeContext } from './health/probe-context';
import { environmentChecks } from './preflight/environment-checks';
import { preflight } from './preflight/preflight';
import { readLastStart, writeLastStart } from './platform/last-start';
import { startPlatform, stopPlatform, type PlatformDeps } from './platform/platform-operations';
import { systemClock, type Clock } from './supervisor/clock';
import { ServiceSupervisor } from './supervisor/service-supervisor';

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
  /** The values each service was last given (a reloadable engine keeps one across rebuilds); memory only. */
  readonly given?: GivenEnvironments;
  readonly rotation?: RotationPolicy;
  readonly clock?: Clock;
  /** Deployment modes this engine can run; the others are listed but not started. */
  readonly drivers?: Partial<Record<DeploymentMode, ServiceDriver>>;
  /** How often service output is moved into the logs. */
  readonly ingestEveryMs?: number;
  /** Told each distinct problem that does not stop the engine (a corrupt state file, a log write error). */
  readonly onWarning?: (message: string) => void;
  /** Where those problems are kept (a reloadable engine shares one across rebuilds); by default a new list. */
  readonly warnings?: EngineWarnings;
}

export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export class DependentsRunningError extends Error {
  constructor(
    readonly service: string,
    readonly dependents: readonly string[],
  ) {
    super(`cannot stop ${service}: ${dependents.join(', ')} ${dependents.length === 1 ? 'needs it and is' : 'need it and are'} running; --cascade stops ${dependents.length === 1 ? 'it' : 'them'} first, --force stops ${service} anyway`);
    this.name = 'DependentsRunningError';
  }
}

type Listener = (event: StateEvent) => void;

export interface StartOptions {
  /** The client's values of the env references (kept in memory for its restarts); see EngineOptions.clientEnv. */
  readonly env?: ClientEnv;
}

export interface PlatformOptions extends StartOptions {
  /** Aborting launches nothing more; what is under way finishes. */
  readonly signal?: AbortSignal;
}

export interface Engine {
  readonly home: string;
  status(): ServiceStatus[];
  start(name: string, options?: StartOptions): Promise<ServiceStatus>;
  /** With `dependents: 'refuse'`, refuses while services that need it run (the seed's can-stop). */
  stop(name: string, options?: { readonly dependents?: 'refuse' | 'ignore' }): Promise<ServiceStatus>;
  restart(name: string, options?: StartOptions): Promise<ServiceStatus>;
  /** Starts the named services (or the auto-start ones) and their dependencies along the graph. */
  platformStart(names: readonly string[], options?: PlatformOptions): Promise<PlatformReport>;
  /** Stops the named services and what needs them (or everything), dependents first. */
  platformStop(names: readonly string[], options?: PlatformOptions & { readonly dependents?: boolean }): Promise<PlatformReport>;
  /** The report of the last platform start, if any (kept across restarts). */
  lastStart(): Promise<PlatformReport | undefined>;
  /** `env`: would it start with these values (nothing is kept); else with those it was given. */
  readiness(options?: StartOptions): Promise<Readiness[]>;
  healthHistory(name: string): readonly ProbeResult[];
  /** True while any service has a live process or a scheduled restart. */
  anyActive(): boolean;
  subscribe(listener: Listener): () => void;
  /** Stops supervising (services keep running; the next engine adopts them). */
  close(): Promise<void>;
  /** Problems that did not stop it (a state record set aside, a log write error) of the last hour, oldest first. */
  readonly warnings: readonly string[];
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const warnings = options.warnings ?? new EngineWarnings(options.onWarning);
  const warn = (message: string) => warnings.add(message);
  const store = await StateStore.open(options.home, warn);
  const drivers: Partial<Record<DeploymentMode, ServiceDriver>> = options.drivers ?? {
    binary: new BinaryDriver(),
    docker: new DockerDriver(options.env),
    'docker-compose': new ComposeDriver(options.env),
    kubernetes: new KubernetesDriver(),
  };
  const listeners = new Set<Listener>();
  const emit = (status: ServiceStatus) => {
    listeners.forEach((listener) => listener({ type: 'state', status }));
    propagate();
  };
  const dependencyTrouble = (service: ServiceDefinition): string | undefined => {
    const troubled = service.dependencies.map((name) => statusOf(name)).find((s) => s && !SERVING.has(s.state));
    return troubled ? `dependency ${troubled.name} is ${troubled.state}: ${troubled.reason}` : undefined;
  };
  /** Running services whose dependency is not healthy are degraded, with the cause; and back. */
  let propagating = false;
  const propagate = () => {
    if (propagating) return;
    propagating = true;
    try {
      // Repeat until nothing changes: a service turning degraded can degrade its own dependents.
      for (let changed = true; changed; ) {
        changed = false;
        for (const supervisor of supervisors.values()) {
          const before = supervisor.status;
          supervisor.dependencyProblem(dependencyTrouble(supervisor.service));
          changed ||= supervisor.status !== before;
        }
      }
    } finally {
      propagating = false;
    }
  };
  const supervisors = new Map<string, ServiceSupervisor | RemoteService>();
  const graph = buildGraph(options.registry.services);
  const strays = new Strays(options.home);
  const statusOf = (name: string) => supervisors.get(name)?.status ?? strays.status(name);
  // The owner's own environment is every context's base and its tools'; nothing is given to none.
  const probeContext: RegistryContext = { home: options.home, registryDir: options.registryDir, env: options.env, given: {} };
  // Each service reads its env references from what its client gave (given-environments.ts); the
  // shared monitor finds a check's service context by the check itself.
  const given = options.given ?? new GivenEnvironments();
  const contextOf = (service: ServiceDefinition): RegistryContext => ({ ...probeContext, given: given.environment(service, options.clientEnv) });
  const previewOf = (service: ServiceDefinition, env: Readonly<Record<string, string | undefined>>): RegistryContext => ({ ...probeContext, given: given.preview(service, env) });
  const checkContexts = new WeakMap<HealthCheck, Omit<ProbeContext, 'timeoutMs'>>();
  const probe = (check: HealthCheck) => runProbe(check, checkContexts.get(check) ?? probeContext);
  const monitor = new HealthMonitor(probe, options.clock ?? systemClock);
  const environment = environmentChecks(probeContext);
  const preflightOf = (service: ServiceDefinition, context: RegistryContext) => preflight({ service, context, environment, statusOf });
  const pipelines: { writer: LogWriter; ingestor: RawLogIngestor; supervisor: ServiceSupervisor }[] = [];

  const clock = options.clock ?? systemClock;
  for (const service of options.registry.services) {
    if (service.deployment.mode === 'remote') {
      const remote = new RemoteService(service, { probe, monitor, emit, clock });
      checkContexts.set(remote.check, { ...contextOf(service), ...(remote.bearer ? { bearer: remote.bearer } : {}) });
      supervisors.set(service.name, remote);
      continue;
    }
    const driver = drivers[service.deployment.mode];
    if (!driver) continue;
    const logs = logFiles(store.dirs.logs, service.name);
    const logProblem = (error: Error) => warn(`logs of '${service.name}': ${error.message}`);
    const writer = new LogWriter(logs, options.rotation, undefined, logProblem);
    const ingestor = new RawLogIngestor(logs, writer, logProblem);
    const context = { ...contextOf(service), logs };
    if (service.health_check) checkContexts.set(service.health_check, context);
    const supervisor = new ServiceSupervisor(
      service,
      {
        driver,
        store,
        context,
        writer,
        ingestor,
        configHash: configHash(service),
        emit,
        probe,
        monitor,
        preflight: () => preflightOf(service, context),
        dependencyTrouble: () => dependencyTrouble(service),
        ...(options.clock ? { clock: options.clock } : {}),
      },
      await store.read(service.name),
    );
    supervisors.set(service.name, supervisor);
    pipelines.push({ writer, ingestor, supervisor });
  }

  await Promise.all([...supervisors.values()].map((supervisor) => supervisor.adopt()));
  strays.add(managedProcesses(options.home).filter((p) => !supervisors.has(p.service)));

  let ingesting = Promise.resolve();
  let closed = false;
  const ingest = setInterval(() => {
    // Only a live process writes new output; a service's last output is drained when it ends.
    // Lifecycle events held back by a full disk are retried too.
    const live = pipelines.filter((p) => p.supervisor.active || p.writer.holding);
    ingesting = ingesting.then(() => Promise.all(live.map((p) => p.ingestor.drain()))).then(() => undefined);
  }, options.ingestEveryMs ?? 200);
  ingest.unref();

  const supervisor = (name: string): ServiceSupervisor | RemoteService => {
    const found = supervisors.get(name);
    if (found) return found;
    const service = options.registry.services.find((s) => s.name === name);
    if (service) throw new EngineError(`'${name}' is a ${service.deployment.mode} service; that deployment mode is not supported yet`);
    throw new EngineError(`unknown service '${name}'${suggestion(name, graph.names)}`);
  };
  const known = (names: readonly string[]) => {
    for (const name of names) if (!graph.index.has(name) && !strays.has(name)) supervisor(name);
    return names;
  };
  const stop = async (name: string, { dependents = 'ignore' }: { readonly dependents?: 'refuse' | 'ignore' } = {}) => {
    if (strays.has(name) && !supervisors.has(name)) return strays.stop(name);
    const found = supervisor(name);
    if (dependents === 'refuse') {
      const check = canStop(graph, name, (other) => isRunning(statusOf(other)));
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
  const platform: PlatformDeps = {
    registry: options.registry,
    graph,
    statusOf,
    start: (name) => supervisor(name).start(),
    stop: (name) => stop(name),
    block: (name, reason) => supervisors.get(name)?.block(reason),
    strays: () => strays.names().filter((name) => !graph.index.has(name)),
    now: () => (options.clock ?? systemClock).now(),
  };

  return {
    home: options.home,
    get warnings() {
      return warnings.list;
    },
    status: () => [
      ...options.registry.services.map((service) => supervisors.get(service.name)?.status ?? strays.status(service.name) ?? unsupported(service)),
      ...strays.names().filter((name) => !options.registry.services.some((s) => s.name === name)).map((name) => strays.status(name)!),
    ],
    start: (name, { env } = {}) => supervisor(name).start(givenBy(name, env)),
    stop,
    restart: (name, { env } = {}) => supervisor(name).restart(givenBy(name, env)),
    platformStart: async (names, { signal, env } = {}) => {
      // What the operation starts gets the values it brought; what already runs keeps its own.
      const starting = { ...platform, start: (name: string) => supervisor(name).start(givenBy(name, env)) };
      const report = await startPlatform(starting, known(names), signal);
      await writeLastStart(store.dirs.root, report).catch((error: Error) => warn(`could not keep the start report: ${error.message}`));
      return report;
    },
    platformStop: (names, { signal, dependents = true } = {}) => stopPlatform(platform, known(names), { dependents, ...(signal ? { signal } : {}) }),
    lastStart: () => readLastStart(store.dirs.root),
    healthHistory: (name) => supervisor(name).healthHistory,
    readiness: ({ env } = {}) =>
      Promise.all(
        options.registry.services.map(async (service): Promise<Readiness> => {
          const status = statusOf(service.name);
          if (status && SERVING.has(status.state)) return { name: service.name, verdict: 'ready', reasons: [status.reason] };
          if (status && isRunning(status)) return { name: service.name, verdict: 'blocked', reasons: [`running but ${status.state}: ${status.reason}`] };
          const found = supervisors.get(service.name);
          if (!found) return { name: service.name, verdict: 'blocked', reasons: [unsupported(service).reason, ...(await preflightOf(service, previewOf(service, env ?? options.clientEnv ?? {})))] };
          const waiting = service.dependencies.filter((d) => !SERVING.has(statusOf(d)?.state ?? 'unknown')).map((d) => `needs ${d} (${statusOf(d)?.state ?? 'unknown'}) first`);
          const problems = env && found instanceof ServiceSupervisor ? await preflightOf(service, previewOf(service, env)) : await found.preflightProblems();
          if (problems.length > 0) return { name: service.name, verdict: 'blocked', reasons: [...problems, ...waiting] };
          return { name: service.name, verdict: 'would start', reasons: waiting };
        }),
      ),
    anyActive: () => strays.names().length > 0 || [...supervisors.values()].some((s) => s.active),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      // Closing twice (a face and its owner both closing) is harmless.
      if (closed) return;
      closed = true;
      // Let an operation under way (a stop waiting out its stop_timeout) finish before the lock goes.
      const inFlight = Promise.all([...supervisors.values()].map((s) => s.detach()));
      const deadline = Math.max(0, ...options.registry.services.map((s) => s.startup.stop_timeout)) + 5_000;
      await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, deadline).unref())]);
      clearInterval(ingest);
      monitor.close();
      await ingesting;
      await Promise.all(pipelines.map((p) => p.ingestor.drain()));
      pipelines.forEach((p) => p.writer.close());
      Object.values(drivers).forEach((driver) => driver.close?.());
      listeners.clear();
    },
  };
}

/**
 * Identifies what a running instance was made from — how it is deployed, checked, started and
 * limited: a changed hash means it is out of date. Descriptions, order and dependencies do not count.
 */
export function configHash(service: ServiceDefinition): string {
  const { deployment, health_check, startup, resources } = service;
  return createHash('sha256').update(JSON.stringify({ deployment, health_check, startup, resources })).digest('hex').slice(0, 16);
}

function unsupported(service: ServiceDefinition): ServiceStatus {
  return {
    name: service.name,
    mode: service.deployment.mode,
    state: 'stopped',
    reason: `${service.deployment.mode} services are not supported yet`,
    since: 0,
    restarts: 0,
  };
}
