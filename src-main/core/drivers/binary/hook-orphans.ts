/**
 * A binary service's hooks (run-hook.ts) are the owner's children, not the service's: when the
 * owner dies in the middle of one (a SIGKILL during a long pre_start migration), nothing else would
 * ever stop it. Each carries its owner's home in HOOK_VARIABLE; only one owner runs per home, so
 * what still carries it when an owner starts was left by one that died, and is ended, with its
 * group, before adoption. The service's own record then decides what starts again.
 */
import { killMarked } from '../../process/kill-marked';

const HOOK_VARIABLE = 'PROVISIONING_HOOK_OF';

/** The environment entries that make a hook's processes findable as this home's. */
export function hookMarker(home: string): Record<string, string> {
  return { [HOOK_VARIABLE]: home };
}

/** SIGKILLs what hooks of an earlier owner of `home` left running; the pids ended. */
export function endOrphanedHooks(home: string): number[] {
  return killMarked(`${HOOK_VARIABLE}=${home}`);
}
