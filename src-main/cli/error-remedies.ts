/**
 * What this CLI tells the user to do about a refusal, from the error's data: the engine's messages
 * say what happened and name no flag, since the UI offers other remedies for the same refusal.
 */
import { dependentsRunningOf } from '@shared/contract/errors';

/** The error's message, and its remedy in this CLI's flags when it has one. */
export function withRemedy(error: Error): string {
  const refused = dependentsRunningOf(error);
  if (refused) return `${error.message}; --cascade stops ${refused.dependents.length === 1 ? 'it' : 'them'} first, --force stops ${refused.service} anyway`;
  return error.message;
}
