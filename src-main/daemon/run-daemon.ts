/**
 * The headless owner: owns the home (owner.ts) and exits once no managed service runs or waits for
 * a restart and no client is connected — or on `daemon stop`. Services keep running when it exits;
 * the next owner adopts them.
 */
import type { HomeClaim } from './home-claim';
import { ownClaimed, type OwnerOptions } from './owner';

/** Idle time (nothing running, nobody connected) before the daemon exits. */
const IDLE_MS = 5_000;

/** Owns the home `claim` holds (with what `load` reads) and resolves when the daemon has stopped. */
export async function runDaemon(claim: HomeClaim, load: () => Promise<OwnerOptions>): Promise<void> {
  const owner = await ownClaimed(claim, load);
  let idleSince = Date.now();
  const idle = setInterval(() => {
    if (owner.engine.anyActive() || owner.server.clients > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= IDLE_MS) owner.stop();
  }, 250);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => owner.stop());
  await owner.stopped;
  clearInterval(idle);
}
