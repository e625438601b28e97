/** Where a service's logs live: the raw files its process writes, and the rotated, time-stamped log. */
import { join } from 'node:path';

export interface LogFiles {
  /** Appended by the service itself (its stdout/stderr), so it keeps logging when no manager runs. */
  readonly rawStdout: string;
  readonly rawStderr: string;
  /** The log: `<name>.log`, then `<name>.log.1` (newer) … `<name>.log.<keep>` (oldest). */
  readonly current: string;
  rotated(generation: number): string;
}

export function logFiles(logsDir: string, service: string): LogFiles {
  const base = join(logsDir, service);
  return {
    rawStdout: `${base}.stdout`,
    rawStderr: `${base}.stderr`,
    current: `${base}.log`,
    rotated: (generation) => `${base}.log.${generation}`,
  };
}
