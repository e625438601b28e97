/** Errors the engine answers with: they say what happened; each face adds its own remedy (from their data). */
import { DEPENDENTS_RUNNING, type DependentsRunning } from '@shared/contract/errors';

export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

/** A stop refused because what needs the service runs; `data` (sent over the contract) names them, in the order they would stop. */
export class DependentsRunningError extends Error {
  readonly data: DependentsRunning;

  constructor(service: string, dependents: readonly string[]) {
    super(`cannot stop ${service}: ${dependents.join(', ')} ${dependents.length === 1 ? 'needs it and is' : 'need it and are'} running`);
    this.name = DEPENDENTS_RUNNING;
    this.data = { service, dependents: [...dependents] };
  }
}
