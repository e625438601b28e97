/**
 * Commands run around a binary service's life (`startup.pre_start`, `post_start`, `pre_stop`,
 * `stop_command`): a shell command line, or `{ command, timeout }` for a timeout of its own.
 * Signals a service may be stopped with (`startup.stop_signal`), named as systemd's KillSignal=.
 */
import { z } from 'zod';
import { nonEmpty, positiveDuration } from './schema-primitives';

export const DEFAULT_HOOK_TIMEOUT = '10s';

const hookTable = z.strictObject({
  command: nonEmpty.meta({ description: 'A command line, run by /bin/sh -c in the service’s working directory and environment, as its user.' }),
  timeout: positiveDuration.prefault(DEFAULT_HOOK_TIMEOUT).meta({ description: `How long it may run before it is killed. Default ${DEFAULT_HOOK_TIMEOUT}.` }),
});

export const hookSchema = z.union([nonEmpty.transform((command) => hookTable.parse({ command })), hookTable], {
  error: 'a command line ("pg_ctl …") or a table { command = "…", timeout = "5s" }',
});

export type Hook = z.output<typeof hookSchema>;

export const STOP_SIGNALS = ['TERM', 'INT', 'QUIT', 'HUP', 'KILL', 'USR1', 'USR2'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export const stopSignalSchema = z.enum(STOP_SIGNALS, { error: `a signal name: ${STOP_SIGNALS.join(', ')} (without SIG)` });
