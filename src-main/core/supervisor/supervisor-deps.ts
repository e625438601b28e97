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
 * A watched run. It stays the current run until its end is fully recorded (`handled`), so a start or
 * stop that arrives while it ends waits for that instead of racing it.
 */
export interface RunEntry {
  readonly run: RunningService;
  handled: Promise<void>;
  /** A user's stop: its end is not a failure and never restarts it. */
  stopping: boolean;
  /** Its main process has ended; the end is being recorded. */
  exiting: boolean;
  /** It has started (passed its health check, or survived the settle window). */
  ready: boolean;
  /** Why we ended it ourselves (not healthy in time): recorded as the reason of its end. */
  failure?: string;
}

export interface SupervisorDeps {
  readonly driver: ServiceDriver;
  readonly store: StateStore;
  readonly context: RunContext;
  readonly writer: LogWriter;
  readonly ingestor: RawLogIngestor;
  readonly emit: (status: ServiceStatus) => void;
  /** Runs the service's health check once. */
  readonly probe: (check: HealthCheck) => Promise<ProbeResult>;
  readonly monitor: HealthMonitor;
  /** Why a dependency of `service` is not healthy, if one is (a healthy service with such a dependency is degraded). */
  readonly dependencyTrouble: (service: ServiceDefinition) => string | undefined;
  /** What would stop a start of `service` (empty when none); checked before a user's start, inside the queue. */
  readonly preflight: (service: ServiceDefinition) => Promise<string[]>;
  readonly clock?: Clock;
}
