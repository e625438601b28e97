/**
 * What every deployment mode provides: start, stop, adopt, and a promise of the end of what it
 * started. Adding a mode adds a folder with one of these, not branches across the engine.
 */
import type { ExitInfo } from '@shared/contract/service-state';
import type { ServiceDefinition } from '@shared/model';
import type { LogFiles } from '../logs/log-files';
import type { TerminateResult } from '../process/terminate';
import type { ProcessRecord } from '../state/service-record';

/** Where a registry's paths and env references are resolved. */
export interface RegistryContext {
  /** The provisioning home: markers, `${home}`. */
  readonly home: string;
  /** Relative paths in the registry start here: `${registry_dir}`. */
  readonly registryDir: string;
  /** The manager's environment: env references are read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface RunContext extends RegistryContext {
  readonly logs: LogFiles;
}

export type ExitReport = Omit<ExitInfo, 'at'>;

export interface RunningService {
  readonly process: ProcessRecord;
  /** Settles when the service's main process has ended. */
  readonly exited: Promise<ExitReport>;
}

export interface ServiceDriver {
  start(service: ServiceDefinition, instance: string, configHash: string, context: RunContext): Promise<RunningService>;
  /** Watches a process an earlier manager started, if it still runs. */
  adopt(record: ProcessRecord, context: RunContext): RunningService | undefined;
  stop(record: ProcessRecord, service: ServiceDefinition, context: RunContext): Promise<TerminateResult>;
}

/** A start that cannot happen, said in the registry's terms. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}
