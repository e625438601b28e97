/** What a service supervisor is given (its seams), and how it tracks a run it watches. */
import type { ProbeResult } from '@shared/contract/health';
import type { ServiceStatus } from '@shared/contract/service-state';
import type { HealthCheck, ServiceDefinition } from '@shared/model';
import type { RunContext, RunningService, ServiceDriver } from '../drivers/driver';
import type { HealthMonitor } from '../health/health-monitor';
import type { LogWriter } from '../logs/log-writer';
import type { RawLogIngestor } from '../logs/raw-log-ingestor';
import type { StateStore } from '../state/state-store';
import type { Clock } from './clock';

/**
 * What the supervisor is doing with a run: starting it (not ready yet), running it (ready: passed
 * its check, or survived the settle window), ending it itself (`failure`: not healthy in time, the
 * reason its end is recorded with), or stopping it for the user (its end is no failure and never
 * restarts it; a stop overrides an ending).
 */
export type RunPhase =
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'ending'; readonly failure: string }
  | { readonly kind: 'stopping' };

/**
 * A watched run. It stays the current run until its end is fully recorded (`handled`), so a start or
 * stop that arrives while it ends waits for that instead of racing it.
 */
export interface RunEntry {
  readonly run: RunningService;
  handled: Promise<void>;
  phase: RunPhase;
  /** Its main process has ended (in any phase); the end is being recorded. */
  exited: boolean;
}

export interface SupervisorDeps {
  readonly driver: ServiceDriver;
  readonly store: StateStore;
  readonly context: RunContext;
  readonly writer: LogWriter;
  readonly ingestor: RawLogIngestor;
  readonly emit: (status: ServiceStatus) => void;
  /** Told once a start's process (or workload) is under way, before it is ready. */
  readonly launched?: () => void;
  /** Runs the service's health check once. */
  readonly probe: (check: HealthCheck) => Promise<ProbeResult>;
  readonly monitor: HealthMonitor;
  /** Why a dependency of `service` is not healthy, if one is (a healthy service with such a dependency is degraded). */
  readonly dependencyTrouble: (service: ServiceDefinition) => string | undefined;
  /** What would stop a start of `service` (empty when none); checked before a user's start, inside the queue. */
  readonly preflight: (service: ServiceDefinition) => Promise<string[]>;
  readonly clock?: Clock;
}
