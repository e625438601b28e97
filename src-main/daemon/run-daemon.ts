/**
 * The headless owner: owns the home (owner.ts) and exits once no managed service runs or waits for
 * a restart and no client is connected — or on `daemon stop`. Services keep running when it exits;
 * the next owner adopts them.
 */
import { startOwner, type OwnerOptions } from './owner';

export interface DaemonOptions extends OwnerOptions {
  /** Idle time (nothing running, nobody connected) before the daemon exits. */
  readonly idleMs?: number;
}

/** Resolves when the daemon has stopped; false when another process already owns the home. */
export async function runDaemon(options: DaemonOptions): Promise<boolean> {
  const owner = await startOwner(options);
  if (!owner) {
    options.log(`another manager already owns ${options.home}; exiting`);
    return false;
  }
  let idleSince = Date.now();
  const idle = setInterval(() => {
    if (owner.engine.anyActive() || owner.server.clients > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= (options.idleMs ?? 5_000)) owner.stop();
  }, 250);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => owner.stop());
  await owner.stopped;
  clearInterval(idle);
  return true;
}
