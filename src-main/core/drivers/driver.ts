/**
 * What every deployment mode provides: start, stop, adopt, reap, and a promise of the end of what
 * it started. Adding a mode adds a folder with one of these, not branches across the engine.
 */
import type { ExitInfo } from '@shared/contract/service-state';
import type { ServiceDefinition } from '@shared/model';
import type { LogFiles } from '../logs/log-files';
import type { TerminateResult } from '../process/terminate';
import type { ProcessRecord } from '../state/service-record';
import type { UsageTarget } from '../usage/usage-sampler';
import type { TerminalProcess, TerminalRequest } from '../terminals/terminal-process';

/** Where a registry's paths and env references are resolved. */
export interface RegistryContext {
  /** The provisioning home: markers, `${home}`. */
  readonly home: string;
  /** Relative paths in the registry start here: `${registry_dir}`. */
  readonly registryDir: string;
  /**
   * The manager's own environment: the base a service gets and what its tools (docker, compose,
   * helm, kubectl) run with. Env references never read it.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * What env references read: the values the client that started the service gave for the names it
   * references, nothing else (GivenEnvironments). Read with envValueOf (own properties only).
   */
  readonly given: Readonly<Record<string, string>>;
}

export interface RunContext extends RegistryContext {
  readonly logs: LogFiles;
  /** The engine's clock: what a driver stamps (a start time) reads it, so tests can hold time. */
  readonly now: () => number;
}

export type ExitReport = Omit<ExitInfo, 'at'>;

/** What an engine behind a run (Docker) reports besides its end. */
export type RunSignal =
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'reachable' }
  /** The image's own HEALTHCHECK verdict (starting, healthy, unhealthy), shown beside our probe. */
  | { readonly kind: 'engine-health'; readonly status: string }
  /** The engine says it is in trouble (a pod in CrashLoopBackOff) or fine again, in its own words. */
  | { readonly kind: 'trouble'; readonly state: 'crash-loop' | 'unhealthy'; readonly reason: string }
  | { readonly kind: 'recovered'; readonly reason: string }
  /** Something the service's log should say that changes no state (the cluster serves no usage). */
  | { readonly kind: 'note'; readonly text: string };

/** Its own readiness (a HEALTHCHECK, a rollout) will not come: fatal ends the start; else it stays in `state`. */
export class NotReady extends Error {
  constructor(
    message: string,
    readonly state: 'failed' | 'crash-loop',
  ) {
    super(message);
    this.name = 'NotReady';
  }
}

export interface RunningService {
  readonly process: ProcessRecord;
  /** Settles when the service's main process has ended. */
  readonly exited: Promise<ExitReport>;
  /** Subscribes to what the engine behind it reports while it runs. */
  readonly signals?: (listener: (signal: RunSignal) => void) => void;
  /**
   * When it has a readiness of its own (a container HEALTHCHECK, a rollout): settles once that passes,
   * or rejects with NotReady when it will not.
   */
  readonly untilHealthy?: Promise<string>;
  /** Adopted while the engine behind it cannot be reached: why (its state is unknown until it answers). */
  readonly unreachable?: string;
  /** Where its usage is read when the engine behind it keeps it (a container's stats); else the owner reads its processes. */
  readonly usage?: UsageTarget;
}

export interface Adoption {
  readonly run?: RunningService;
  /** What adoption did besides (a duplicate instance stopped), for the service's log. */
  readonly notes: readonly string[];
}

/** What a long start is doing (pulling an image); `logOnly`: a line for the log (build output), no change of the start's reason. */
export type StartProgress = (text: string, options?: { readonly logOnly?: boolean }) => void;

/** What a build of a service's image did (docker.build, a compose `build:` section). */
export interface ImageBuild {
  /** The image name its containers are created from. */
  readonly image: string;
  /** The engine's image id. */
  readonly id: string;
  /** False: its inputs had not changed, nothing was built ("up to date"). */
  readonly built: boolean;
  /** The running instance (if any) already runs this image: nothing to recreate. */
  readonly current: boolean;
}

export interface ServiceDriver {
  /**
   * `progress` tells what a long start is doing (pulling or building an image). `built`: the image a
   * rebuild has just built (its `build`), run as it is — not built again, so what changed in its
   * context since cannot fail a recreate after the old instance stopped.
   */
  start(
    service: ServiceDefinition,
    instance: string,
    configHash: string,
    context: RunContext,
    progress: StartProgress,
    built?: ImageBuild,
  ): Promise<RunningService>;
  /**
   * Builds the service's image if its inputs changed, leaving what runs alone; `running` is the
   * instance that runs now, if one does. Absent: its mode builds nothing. Throws StartError when the build fails.
   */
  build?(service: ServiceDefinition, running: ProcessRecord | undefined, context: RunContext, say: (text: string) => void): Promise<ImageBuild>;
  /**
   * Deploys a new revision in place while it runs (a Helm chart's `helm upgrade`), the run followed
   * on: what runs serves until the new revision is ready, and a failure leaves the previous one.
   * Absent: its mode replaces a run only by a restart. Throws StartError when it fails.
   */
  redeploy?(service: ServiceDefinition, context: RunContext, say: (text: string) => void): Promise<void>;
  /**
   * After a manager restart: watches the instance an earlier manager started, if it still runs — the
   * recorded one, else one found by its own means (markers, labels) — and stops any other instance.
   */
  adopt(service: ServiceDefinition, record: ProcessRecord | undefined, configHash: string, context: RunContext): Promise<Adoption>;
  stop(record: ProcessRecord, service: ServiceDefinition, context: RunContext): Promise<TerminateResult>;
  /** After its main process ended: ends what it left behind. */
  reap(record: ProcessRecord, context: RunContext): Promise<void>;
  /** Releases what the driver holds open (event streams); what runs keeps running. */
  close?(): void;
  /**
   * Opens a terminal into the running instance `record` names: a shell (or `request.cmd`) beside
   * its process, in its container or pod. Present for the modes whose table entry says `exec`.
   */
  exec?(record: ProcessRecord, service: ServiceDefinition, context: RunContext, request: TerminalRequest): Promise<TerminalProcess>;
}

/** A start that cannot happen, said in the registry's terms. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}
