/**
 * Keeps one service in the state the user asked for: starts it, watches it, restarts it by its policy,
 * stops it, and adopts it after a manager restart. Operations on one service run one at a time, so
 * ten concurrent starts make one process.
 */
import { randomUUID } from 'node:crypto';
import type { ExitInfo, ServiceState, ServiceStatus } from '@shared/contract/service-state';
import type { ProbeResult } from '@shared/contract/health';
import { formatDuration, type ServiceDefinition } from '@shared/model';
import { maskDeep, secretMask, type Mask } from '@shared/model/secret-mask';
import { PreflightError } from '../preflight/preflight';
import { StartError, type ExitReport, type ImageBuild, type RunningService } from '../drivers/driver';
import { tailLog } from '../logs/log-reader';
import { currentBoot } from '../process/process-identity';
import type { TerminateResult } from '../process/terminate';
import type { ProcessRecord, ServiceRecord } from '../state/service-record';
import { systemClock, type Clock } from './clock';
import { DependencyReaction } from './dependency-reaction';
import { withResult } from '../health/health-monitor';
import { isCleanExit, isSuccess, RestartTracker } from './restart-policy';
import { startupReadiness } from './startup-readiness';
import type { RunEntry, SupervisorDeps } from './supervisor-deps';

/** Lines of the log quoted when a service fails to start. */
const TAIL_LINES = 10;

export class ServiceSupervisor {
  #service: ServiceDefinition;
  readonly #configHash: string;
  readonly #clock: Clock;
  readonly #tracker: RestartTracker;
  #status: ServiceStatus;
  #record: ServiceRecord;
  #running: RunEntry | undefined;
  #retry: unknown;
  /** Resets the restart count once the current run has lasted start_limit_window (see #countStable). */
  #stable: unknown;
  #health: ProbeResult | undefined;
  #history: ProbeResult[] = [];
  #detached = false;
  #queue: Promise<unknown> = Promise.resolve();
  /** Rebuilds, one at a time, apart from #queue (see rebuild). */
  #building: Promise<unknown> = Promise.resolve();
  readonly #reaction: DependencyReaction;
  #engineHealth: string | undefined;
  /** Its env files' secrets read as `${NAME}` in all it writes and shows: log, state, status, health. */
  readonly #mask: Mask;

  constructor(
    service: ServiceDefinition,
    configHash: string,
    private readonly deps: SupervisorDeps,
    record: ServiceRecord | undefined,
  ) {
    this.#service = service;
    this.#mask = secretMask(service.fromEnvFiles);
    this.#configHash = configHash;
    this.#clock = deps.clock ?? systemClock;
    this.#tracker = new RestartTracker(service.startup);
    this.#reaction = new DependencyReaction(service.on_dependency_failure, {
      live: () => this.#running !== undefined && !this.#running.exited && this.#running.phase.kind !== 'stopping',
      state: () => this.#status.state,
      degrade: (cause) => this.#transition('degraded', cause),
      recover: () => this.#transition('healthy', 'its dependencies are healthy again'),
      stopFor: (cause) =>
        void this.#enqueue(async () => {
          await this.#stop();
          this.block(`stopped because ${cause}; starts again when it recovers`);
          return this.#status;
        }),
      start: () => this.start(),
      restart: () => this.restart(),
    });
    this.#record = record ?? { name: service.name, desired: 'stopped', restarts: 0 };
    // A task that completed under an earlier owner is still done: what needs it goes on relying on it.
    const completed = service.kind === 'task' && record?.completed === true && record.lastExit !== undefined;
    this.#status = {
      name: service.name,
      mode: service.deployment.mode,
      state: completed ? 'completed' : 'stopped',
      reason: completed ? record.lastExit!.reason : record?.lastExit ? `last run ${record.lastExit.reason}` : 'not started',
      since: this.#clock.now(),
      restarts: this.#record.restarts,
      ...(record?.lastExit ? { lastExit: record.lastExit } : {}),
    };
  }

  get status(): ServiceStatus {
    // A forking service's main process is named once its launcher has exited (forking-run.ts): the
    // record changes under the run, and the status says the pid that runs now.
    // Kept, not rebuilt per read: readers compare statuses by identity to see a change.
    const pid = this.#running?.run.process.pid;
    if (pid !== undefined && this.#status.pid !== undefined && this.#status.pid !== pid) this.#status = { ...this.#status, pid };
    return this.#status;
  }

  /** Where its driver reads its usage while it runs (a container's stats), if its driver does. */
  get usage(): RunningService['usage'] {
    return this.#running?.run.usage;
  }

  /** Its definition: replaced in place by a registry update that leaves its configuration hash alone. */
  get service(): ServiceDefinition {
    return this.#service;
  }

  /** The user asked for it to run and has not stopped it since (see ServiceRecord.wanted). */
  get wanted(): boolean {
    return this.#record.wanted === true;
  }

  /**
   * A registry update changed its definition but not its configuration hash (dependencies,
   * description, on_dependency_failure…): the run goes on untouched under it. A new hash makes a new supervisor.
   */
  redefine(service: ServiceDefinition): void {
    this.#service = service;
    this.#reaction.policy = service.on_dependency_failure;
  }

  /** A process runs, or a restart is scheduled: someone must stay to supervise. */
  get active(): boolean {
    return this.#running !== undefined || this.#retry !== undefined;
  }

  /**
   * `launching` is called only once a launch is sure to be attempted (not when it already runs), before
   * the preflight: what it sets (the client's values) is what this start reads, and a running
   * instance's check keeps what it was started with.
   */
  start(launching?: () => void, why = 'started by user'): Promise<ServiceStatus> {
    this.#reaction.forget();
    return this.#enqueue(async () => {
      if (this.#detached) return this.#status;
      await this.#want(true);
      if (this.#running && !this.#running.exited) return this.#status;
      launching?.();
      await this.#preflight();
      this.#tracker.reset();
      return this.#start(why);
    });
  }

  stop(): Promise<ServiceStatus> {
    this.#reaction.forget();
    return this.#enqueue(async () => {
      if (this.#detached) return this.#status;
      await this.#want(false);
      return this.#stop();
    });
  }

  /**
   * The start desired-state.ts makes: only if, when its turn comes, it is still wanted and blocked
   * (a stop queued meanwhile wins). Preflight problems leave it blocked with them.
   */
  startIfWanted(why: string): Promise<ServiceStatus> {
    return this.#enqueue(async () => {
      if (this.#detached || !this.wanted || this.#status.state !== 'blocked' || this.active) return this.#status;
      const problems = await this.deps.preflight(this.#service);
      if (problems.length > 0) {
        this.block(preflightReason(problems));
        return this.#status;
      }
      this.#tracker.reset();
      return this.#start(why);
    });
  }

  /** `launching` as for start, once the running instance has stopped; `why`: its reason (a watch trigger's line). */
  restart(launching?: () => void, why = 'restarted by user'): Promise<ServiceStatus> {
    return this.#enqueue(async () => {
      if (this.#detached) return this.#status;
      // A person's restart stops "by user"; one of a watch says its trigger at the stop too.
      await this.#stop(why === 'restarted by user' ? undefined : why);
      await this.#want(true);
      launching?.();
      await this.#preflight();
      this.#tracker.reset();
      return this.#start(why);
    });
  }

  /**
   * Builds its image again if what goes into it changed (its driver's `build`); when what runs does
   * not run the image built, it is recreated from that image (stopped, then started as a restart is,
   * with no second build). A build that fails changes nothing: what runs goes on, and the failure is
   * said (log, event, error). The build runs outside the operations' queue (a long one must not hold
   * a Stop back), one build at a time; only the recreate takes its turn, and only if the run it was
   * built for still runs then: a stop or restart meanwhile wins.
   */
  rebuild(launching?: () => void): Promise<{ readonly status: ServiceStatus; readonly build: ImageBuild; readonly recreated: boolean }> {
    const rebuilt = this.#building.then(async () => {
      const driver = this.deps.driver;
      if (!driver.build)
        throw new StartError(`'${this.service.name}' builds no image: only docker services with docker.build and compose services are rebuilt`);
      // What runs, read in turn (after a start under way). The build reads the client's values (build args from env references).
      const before = await this.#enqueue(async () => {
        launching?.();
        return this.#running && !this.#running.exited ? this.#running.run : undefined;
      });
      const stillRuns = () => before !== undefined && this.#isCurrent(before) && !this.#running!.exited && this.#running!.phase.kind !== 'stopping';
      let build: ImageBuild;
      try {
        build = await driver.build(this.service, before?.process, this.deps.context, (text) => this.#log(text));
      } catch (error) {
        throw this.#failedInPlace('rebuild failed', error, stillRuns() ? `${runLabel(before!.process)} goes on with the previous image` : undefined);
      }
      return this.#enqueue(async () => {
        if (build.current || this.#detached || !stillRuns()) return { status: this.#status, build, recreated: false };
        await this.#stop();
        await this.#preflight();
        this.#tracker.reset();
        return { status: await this.#start(`recreated from the rebuilt image ${build.image}`, build), build, recreated: true };
      });
    });
    this.#building = rebuilt.catch(() => undefined);
    return rebuilt;
  }

  /**
   * A new revision in place (its driver's `redeploy`: a Helm chart's `helm upgrade`), its run
   * followed on; without one, a restart. What does not run is started. A failed upgrade leaves the
   * previous revision serving, and is said (log, event, error). `why`: the reason (a watch trigger's line).
   */
  redeploy(why: string): Promise<ServiceStatus> {
    const driver = this.deps.driver;
    if (!driver.redeploy) return this.restart(undefined, why);
    return this.#enqueue(async () => {
      if (this.#detached) return this.#status;
      if (!this.#running || this.#running.exited) {
        await this.#want(true);
        await this.#preflight();
        this.#tracker.reset();
        return this.#start(why);
      }
      this.#log(`upgrading: ${why}`);
      try {
        await driver.redeploy!(this.service, this.deps.context, (text) => this.#log(text));
      } catch (error) {
        throw this.#failedInPlace('upgrade failed', error, 'the previous revision goes on');
      }
      this.#log('upgraded: its new revision is ready');
      return this.#status;
    });
  }

  /**
   * A rebuild or upgrade that failed while what runs goes on (`goesOn` says so): no change of
   * state, but a line in its log, an event for the faces, and the error to throw.
   */
  #failedInPlace(what: string, error: unknown, goesOn: string | undefined): StartError {
    const failed = this.#mask(`${what}: ${(error as Error).message}${goesOn ? `; ${goesOn}` : ''}`);
    this.#log(failed);
    this.#status = { ...this.#status, reason: failed };
    this.deps.emit(this.#status);
    return new StartError(failed);
  }

  /** The user asked for it (a platform start that may not reach it): remembered until a stop. */
  want(): Promise<void> {
    if (this.wanted) return Promise.resolve();
    // Known at once (a block that follows reads it); written in turn with the other operations.
    this.#record = { ...this.#record, wanted: true };
    return this.#enqueue(() => this.#save({}));
  }

  async #want(wanted: boolean): Promise<void> {
    if (this.wanted !== wanted || (!wanted && this.#record.waiting)) await this.#save({ wanted, waiting: false });
  }

  /**
   * After a manager restart: takes over the instance the driver finds running (it stops duplicates);
   * restarts a service that died while nobody watched.
   */
  adopt(): Promise<ServiceStatus> {
    return this.#enqueue(async () => {
      const recorded = this.#record.process;
      const { run: adopted, notes } = await this.deps.driver.adopt(this.service, recorded, this.#configHash, this.deps.context);
      notes.forEach((note) => this.#log(note));
      if (adopted) {
        this.#watch(adopted).catch(() => undefined);
        this.#running!.phase = { kind: 'ready' };
        await this.#save({ desired: 'running', process: adopted.process, ...bootNow() });
        if (adopted.unreachable) return this.#transition('unknown', adopted.unreachable);
        // A task found running is still on its way to completion: its end decides.
        if (this.service.kind === 'task') {
          this.#running!.phase = { kind: 'starting' };
          return this.#transition('starting', `adopted (${runLabel(adopted.process)}); running to completion`);
        }
        // A service found running is checked before it is called healthy. A failed check is the first
        // of `retries`, as in steady monitoring: one slow answer while the owner changed is no verdict.
        const check = this.service.health_check;
        const result = check ? await this.deps.probe(check) : undefined;
        this.#health = result;
        const label = `adopted (${runLabel(adopted.process)})`;
        this.#countStable(adopted);
        if (!check || !result || result.ok) {
          this.#monitorHealth(adopted, true);
          return this.#transition('healthy', label);
        }
        const unhealthy = check.retries <= 1;
        this.#monitorHealth(adopted, !unhealthy, 1);
        if (unhealthy) return this.#transition('unhealthy', `${label}; its check fails: ${result.message}`);
        return this.#transition('healthy', `${label}; its first check failed (1 of ${check.retries} in a row before it is unhealthy): ${result.message}`);
      }
      // Asked for but blocked when the previous manager went: it waits again (desired-state.ts starts it).
      if (this.wanted && this.#record.waiting) return this.#transition('blocked', 'was waiting to start when the previous manager stopped');
      if (this.#record.desired !== 'running') return this.#status;
      if (this.#machineRestarted()) return this.#startWhenReady('was running when the machine restarted', true);
      if (!recorded) return this.#startWhenReady('was starting, or due to restart, when the previous manager stopped');
      const exit = { code: null, signal: null, reason: 'exited while no manager was running (code unknown)' };
      return this.#afterExit(exit, this.#clock.now() - recorded.startedAt, undefined);
    });
  }

  /** Its last run started in another boot of the machine: it did not fail, the machine went down. */
  #machineRestarted(): boolean {
    const now = currentBoot();
    return now !== undefined && this.#record.boot !== undefined && this.#record.boot !== now;
  }

  /**
   * Comes back as it was asked for — wanted, whatever its restart policy — and as a start does, once
   * what it needs is healthy (desired-state.ts starts it, in dependency order): what ran before the
   * machine restarted (`exited`: a reboot is not its failure), and a start under way or a restart due
   * when the previous owner went, nothing of it running. Never inside adoption, which must not wait
   * for a start (a pre_start, a slow readiness) before the owner answers. What did not run stays stopped.
   */
  async #startWhenReady(reason: string, exited = false): Promise<ServiceStatus> {
    await this.#save({
      desired: 'stopped',
      process: undefined,
      wanted: true,
      waiting: true,
      ...(exited ? { lastExit: { code: null, signal: null, at: this.#clock.now(), reason } } : {}),
    });
    return this.#transition('blocked', `${reason}; starts again once its dependencies are healthy`);
  }

  /**
   * Stops supervising: no more restarts or exit handling; the process keeps running for the next
   * owner. Resolves when the operation under way (if any) has finished, so the lock is released after.
   */
  detach(): Promise<unknown> {
    this.#detached = true;
    this.#cancelRetry();
    this.#cancelStable();
    return this.#queue;
  }

  /** The latest health check results, oldest first (for sparklines and --json). */
  get healthHistory(): readonly ProbeResult[] {
    return this.#history;
  }

  /** A dependency's trouble (`cause`), or its end (undefined): see DependencyReaction. */
  dependencyProblem(cause: string | undefined): void {
    this.#reaction.onTrouble(cause);
  }

  /** Will not start now (something it needs is not serving); shown, with the current cause, until it starts or is stopped. */
  block(reason: string): void {
    if (this.active || (this.#status.state === 'blocked' && this.#status.reason === reason)) return;
    this.#transition('blocked', reason);
    if (!this.#record.waiting) void this.#enqueue(() => this.#save({ waiting: true }));
  }

  /** What would stop a start now (nothing when it runs). */
  preflightProblems(): Promise<string[]> {
    return this.#running ? Promise.resolve([]) : this.deps.preflight(this.#service);
  }

  /** A refused start leaves it blocked with the problems (it starts by itself once they clear), and says why. */
  async #preflight(): Promise<void> {
    const problems = await this.deps.preflight(this.#service);
    if (problems.length === 0) return;
    this.block(preflightReason(problems));
    throw new PreflightError(this.#service.name, problems);
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** `built`: the image a rebuild has just built, run as it is (ServiceDriver.start). */
  async #start(why: string, built?: ImageBuild): Promise<ServiceStatus> {
    if (this.#running?.exited) await this.#running.handled;
    this.#cancelRetry();
    if (this.#running || this.#detached) return this.#status;
    const instance = `${this.service.name}-${randomUUID()}`;
    // Wanted running before anything is launched: an owner killed in the middle of a start leaves a
    // record from which the next one finishes it (adopt), whether the process had been spawned or not.
    await this.#save({ desired: 'running', waiting: false, completed: false });
    this.#transition('starting', why);
    let run: RunningService;
    // Where this run's lines begin: its failure excerpts never quote an earlier run's.
    const logFrom = this.deps.writer.seq;
    try {
      this.#tracker.recordStart(this.#clock.now());
      run = await this.deps.driver.start(
        this.service,
        instance,
        this.#configHash,
        this.deps.context,
        (text, options) => (options?.logOnly ? this.#log(text) : this.#transition('starting', text)),
        built,
      );
    } catch (error) {
      // A StartError says what is wrong in registry terms; anything else (a refused log file…) as it is.
      const message = error instanceof StartError ? error.message : `could not start: ${(error as Error).message}`;
      // What it wrote before it failed (a pre_start hook's output) goes into the log before its end.
      await this.deps.ingestor.drain().catch(() => undefined);
      await this.#save({ desired: 'stopped', process: undefined });
      return this.#transition('failed', message);
    }
    await this.#save({ desired: 'running', process: run.process, logFrom, ...bootNow() });
    this.#log(`started ${runLabel(run.process)}: ${run.process.command.join(' ')}`);
    const watched = this.#watch(run);
    // What waits only for it to be under way (a `started` dependency) may go.
    this.deps.launched?.();
    const { outcome, health } = await startupReadiness(run, this.service, { probe: this.deps.probe, clock: this.#clock, watched });
    this.#health = health ?? this.#health;
    if (!this.#isCurrent(run) || this.#exiting() || outcome.kind === 'ended') {
      await watched;
      return this.#status;
    }
    if (outcome.kind === 'ready') return this.#ready(run, `${outcome.message} (${runLabel(run.process)})`);
    if (outcome.kind === 'crash-loop') return this.#transition('crash-loop', outcome.message);
    return this.#endRun(run, outcome.failure);
  }

  /**
   * Ends a run (restart policy applies) — a start that will not succeed, or a run that turned
   * unhealthy with on_unhealthy = "restart"; its end is recorded with `failure` as the reason.
   * Nothing, when that run has already ended or been replaced meanwhile.
   */
  async #endRun(run: RunningService, failure: string): Promise<ServiceStatus> {
    if (!this.#isCurrent(run) || this.#running!.exited) return this.#status;
    const entry = this.#running!;
    if (entry.phase.kind !== 'stopping') entry.phase = { kind: 'ending', failure };
    await this.deps.driver.stop(run.process, this.service, this.deps.context);
    await entry.handled;
    return this.#status;
  }

  /** The run has started: steady health checks begin (healthy, or degraded when a dependency is not). */
  #ready(run: RunningService, reason: string): ServiceStatus {
    const entry = this.#running!;
    if (entry.phase.kind === 'starting') entry.phase = { kind: 'ready' };
    this.#monitorHealth(run, true);
    this.#countStable(run);
    const trouble = this.deps.dependencyTrouble(this.#service);
    return trouble ? this.#transition('degraded', trouble) : this.#transition('healthy', reason);
  }

  /**
   * A run that lasts start_limit_window (the span that declares a crash loop) is stable: the restart
   * count goes back to 0, so `restarts` says how often it restarted since it last ran that long.
   */
  #countStable(run: RunningService): void {
    this.#cancelStable();
    const window = this.service.startup.start_limit_window;
    const stable = () => {
      this.#stable = undefined;
      if (!this.#isCurrent(run) || this.#running!.exited || this.#record.restarts === 0) return;
      void this.#enqueue(async () => {
        if (!this.#isCurrent(run) || this.#running!.exited || this.#record.restarts === 0) return;
        await this.#save({ restarts: 0 });
        this.#log(`ran ${formatDuration(window)} without a restart: restart count reset`);
        this.#status = { ...this.#status, restarts: 0 };
        this.deps.emit(this.#status);
      });
    };
    const timer = this.#clock.setTimeout(stable, Math.max(0, run.process.startedAt + window - this.#clock.now()));
    timer.unref();
    this.#stable = timer;
  }

  #cancelStable(): void {
    if (this.#stable === undefined) return;
    this.#clock.clearTimeout(this.#stable);
    this.#stable = undefined;
  }

  #monitorHealth(run: RunningService, healthy: boolean, failures = 0): void {
    const check = this.service.health_check;
    if (!check || this.#running?.exited) return;
    this.deps.monitor.watch({
      name: this.service.name,
      check,
      healthy,
      failures,
      startedAt: run.process.startedAt,
      onResult: (result, healthy) => {
        if (!this.#isCurrent(run) || this.#running?.exited) return;
        this.#health = maskDeep(result, this.#mask);
        this.#history = withResult(this.#history, this.#health);
        if (healthy && this.#status.state === 'unhealthy') {
          const trouble = this.deps.dependencyTrouble(this.#service);
          if (trouble) this.#transition('degraded', `recovered: ${result.message}; but ${trouble}`);
          else this.#transition('healthy', `recovered: ${result.message}`);
        } else if (!healthy && (this.#status.state === 'healthy' || this.#status.state === 'degraded')) {
          const failed = check.retries > 1 ? `${check.retries} checks in a row failed` : 'the check failed';
          this.#transition('unhealthy', `${failed}: ${result.message}`);
          // Liveness: a process that runs but no longer answers is ended; its restart policy (backoff, crash-loop) brings it back.
          if (check.on_unhealthy === 'restart') void this.#enqueue(() => this.#endRun(run, `unhealthy, ended to restart: ${failed}: ${result.message}`));
        } else {
          // No change of state, but a new latency and message: said too, so every face shows each check (no timeline entry: event-timeline.ts).
          this.#status = { ...this.#status, health: this.#health };
          this.deps.emit(this.#status);
        }
      },
    });
  }

  async #stop(why = 'stopped by user'): Promise<ServiceStatus> {
    this.#cancelRetry();
    this.#tracker.reset();
    const current = this.#running;
    if (!current) {
      await this.#save({ desired: 'stopped', completed: false });
      return this.#status.state === 'stopped' ? this.#status : this.#transition('stopped', why);
    }
    current.phase = { kind: 'stopping' };
    let result: TerminateResult = { forced: false, survivors: [] };
    if (!current.exited) {
      this.#transition('stopping', `stopping ${runLabel(current.run.process)}`);
      result = await this.deps.driver.stop(current.run.process, this.service, this.deps.context);
    }
    await current.handled;
    // What the stop's own commands (pre_stop, stop_command) wrote goes into the log before its end.
    await this.deps.ingestor.drain().catch(() => undefined);
    await this.#save({ desired: 'stopped' });
    const how = result.forced ? `did not stop within ${formatDuration(this.service.startup.stop_timeout)}; killed` : why;
    return this.#transition('stopped', result.survivors.length ? `${how}; still alive: ${result.survivors.join(', ')}` : how);
  }

  /** Follows a run until it ends; the returned promise settles once its end is recorded. */
  #watch(run: RunningService): Promise<void> {
    const entry: RunEntry = { run, phase: { kind: 'starting' }, exited: false, handled: Promise.resolve() };
    entry.handled = run.exited.then((exit) => this.#ended(entry, exit));
    this.#running = entry;
    this.#engineHealth = undefined;
    run.signals?.((signal) => {
      if (!this.#isCurrent(run) || entry.exited || entry.phase.kind === 'stopping') return;
      if (signal.kind === 'note') this.#log(signal.text);
      else if (signal.kind === 'engine-health') {
        this.#engineHealth = signal.status;
        this.#status = { ...this.#status, engineHealth: signal.status };
        this.deps.emit(this.#status);
      } else if (signal.kind === 'unreachable') this.#transition('unknown', signal.reason);
      else if (signal.kind === 'trouble') this.#transition(signal.state, signal.reason);
      else if (signal.kind === 'recovered') {
        if (entry.phase.kind === 'starting') void this.#ready(run, signal.reason);
        else if (this.#status.state !== 'healthy') this.#transition('healthy', signal.reason);
      }
      // Its check decides from here; until it runs, the last known good state stands.
      else if (this.#status.state === 'unknown') this.#transition(entry.phase.kind === 'ready' ? 'healthy' : 'starting', 'its engine is reachable again');
    });
    return entry.handled;
  }

  async #ended(entry: RunEntry, exit: ExitReport): Promise<void> {
    if (this.#detached || !this.#isCurrent(entry.run)) return;
    entry.exited = true;
    this.#cancelStable();
    this.deps.monitor.unwatch(this.service.name);
    // Its last output goes before its end in the log; a log problem must not stop supervision.
    await this.deps.ingestor.drain().catch(() => undefined);
    // The main process is gone; anything it left behind goes too (no orphans).
    await this.deps.driver.reap(entry.run.process, this.deps.context);
    const { phase } = entry;
    if (phase.kind === 'stopping') {
      await this.#recordExit({ ...exit, reason: 'stopped by user' });
      this.#running = undefined;
      return;
    }
    await this.#afterExit(phase.kind === 'ending' ? { ...exit, reason: phase.failure } : exit, this.#clock.now() - entry.run.process.startedAt, entry);
  }

  /**
   * Records an end and acts on the restart policy. `entry` is the run that ended while we watched
   * (undefined when it ended while no manager ran); it is released only once everything is recorded.
   */
  async #afterExit(exit: ExitReport, ranMs: number, entry: RunEntry | undefined): Promise<ServiceStatus> {
    // A task's whole run is its startup: it ends either completed or failed, its last lines quoted.
    const task = this.service.kind === 'task';
    if (task && entry && entry.phase.kind !== 'ending' && isSuccess(exit, this.service.startup.success_exit_codes)) return this.#completed(exit, ranMs, entry);
    const duringStartup = entry?.phase.kind === 'starting';
    const quoted = entry !== undefined && (duringStartup || task);
    const from = this.#record.logFrom ?? 0;
    const tail = quoted ? (await tailLog(this.deps.context.logs, TAIL_LINES * 3)).filter((l) => l.stream !== 'evt' && l.seq > from).slice(-TAIL_LINES) : [];
    const reason = `${exit.reason}${duringStartup && !task ? ' during startup' : ''}`;
    await this.#recordExit({ ...exit, reason });
    // An end the engine caused for a failure (a start that timed out, liveness) is one, however cleanly it exited.
    const clean = !task && entry?.phase.kind !== 'ending' && isCleanExit(exit, this.service.startup);
    const decision = this.#tracker.decide(exit, ranMs, this.#clock.now(), clean);
    const logTail = tail.map((line) => line.text);
    // Desired stays 'running' only while a restart is due, so a new owner knows to make it.
    if (!decision.restart) await this.#save({ desired: 'stopped' });
    if (entry) {
      if (this.#isCurrent(entry.run)) this.#running = undefined;
      if (entry.phase.kind === 'stopping') return this.#status; // a stop arrived meanwhile: it reports the outcome
    }
    if (!decision.restart) {
      const state: ServiceState = clean ? 'stopped' : 'failed';
      return this.#transition(state, reason, { logTail });
    }
    const since = this.#clock.now();
    const nextRetryAt = since + decision.delayMs;
    this.#retry = this.#clock.setTimeout(() => {
      this.#retry = undefined;
      void this.#enqueue(async () => {
        await this.#save({ restarts: this.#record.restarts + 1 });
        return this.#start(`restart ${this.#record.restarts}`);
      });
    }, decision.delayMs);
    const wait = formatDuration(decision.delayMs);
    return decision.crashLoop
      ? this.#transition(
          'crash-loop',
          `${reason}; ${this.service.startup.start_limit} starts within ${formatDuration(this.service.startup.start_limit_window)}; next try in ${wait}`,
          { since, nextRetryAt, logTail },
        )
      : this.#transition('failed', `${reason}; restarting in ${wait}`, { since, nextRetryAt, logTail });
  }

  /** A task ran to success: done, never restarted (whatever its policy), serving for what needs it. */
  async #completed(exit: ExitReport, ranMs: number, entry: RunEntry): Promise<ServiceStatus> {
    const reason = `completed: ${exit.reason} after ${formatDuration(ranMs)}`;
    await this.#recordExit({ ...exit, reason });
    await this.#save({ desired: 'stopped', completed: true });
    if (this.#isCurrent(entry.run)) this.#running = undefined;
    return this.#transition('completed', reason);
  }

  async #recordExit(exit: ExitReport): Promise<void> {
    const lastExit: ExitInfo = { ...exit, at: this.#clock.now() };
    await this.#save({ process: undefined, lastExit });
  }

  #exiting(): boolean {
    return this.#running?.exited === true;
  }

  #isCurrent(run: RunningService): boolean {
    return this.#running?.run === run;
  }

  #cancelRetry(): void {
    if (this.#retry === undefined) return;
    this.#clock.clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  async #save(change: Partial<ServiceRecord>): Promise<void> {
    this.#record = maskDeep({ ...this.#record, ...change }, this.#mask);
    if ('process' in change && change.process === undefined) delete this.#record.process;
    await this.deps.store.write(this.#record);
  }

  #transition(state: ServiceState, reason: string, extra: Partial<ServiceStatus> = {}): ServiceStatus {
    const process = this.#running?.run.process;
    reason = this.#mask(reason);
    this.#status = {
      name: this.service.name,
      mode: this.service.deployment.mode,
      state,
      reason,
      since: this.#clock.now(),
      restarts: this.#record.restarts,
      ...(process
        ? { ...(process.pid ? { pid: process.pid } : {}), ...(process.workload ? { workload: process.workload } : {}), startedAt: process.startedAt }
        : {}),
      ...(this.#record.lastExit ? { lastExit: this.#record.lastExit } : {}),
      ...(this.#health && process ? { health: maskDeep(this.#health, this.#mask) } : {}),
      ...(this.#engineHealth && process ? { engineHealth: this.#engineHealth } : {}),
      ...maskDeep(extra, this.#mask),
    };
    this.#log(`${state}: ${reason}`);
    this.deps.emit(this.#status);
    return this.#status;
  }

  /** Lifecycle events go inline into the service's own log, marked as such. */
  #log(text: string): void {
    this.deps.writer.write('evt', [this.#mask(text)]);
  }
}

/** The boot a run starts in, for the record (nothing where it is not known). */
const bootNow = (): { boot?: string } => {
  const boot = currentBoot();
  return boot === undefined ? {} : { boot };
};

/** A blocked service's reason when its preflight refuses a start. */
const preflightReason = (problems: readonly string[]): string => `cannot start: ${problems.join('; ')}`;

/** What a run is, in messages: its process, or the cluster workload that runs it. */
const runLabel = (process: ProcessRecord): string => (process.pid ? `pid ${process.pid}` : (process.workload ?? process.instance));
