/**
 * What each service state means, in one table read by every face and the engine (design.md): the
 * terminal's colours, the UI's tones, the tray's trouble, preflight's conflicts and the platform
 * operations' verdicts all come from here, so one word never means two things.
 *
 * - tone: the colour family: ok (serving), busy (changing), warn (in trouble, not broken itself or
 *   not known), bad (not doing its job), idle (stopped as asked), done (a task that ran to success).
 * - serving: dependents can rely on it. Only healthy (our check passes), external (running, not
 *   ours, answering) and completed (a task that ran to success: what needed it done is done). Degraded is not serving: it relies on something that is not, so its own
 *   dependents are degraded in turn.
 * - up: counts as started for an operation: serving, or degraded (it runs and passes its own check;
 *   what it needs is a different service's trouble, reported there).
 * - live: something of it runs (a process, a workload, a remote end that answers): what a declared
 *   conflict collides with, whatever its health.
 * - trouble: draws attention (tray icon and tooltip, the UI's trouble filter, `services why`):
 *   every state that is neither serving, nor changing, nor stopped as asked. Blocked is trouble: it
 *   was asked to run and does not. Unhealthy is bad, not warn: its check fails, so nothing that
 *   needs it works, as with failed.
 */
import type { DependencyCondition } from '../model/dependency-schema';
import type { ServiceState, ServiceStatus } from './service-state';

export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'idle' | 'done';

export interface StateMeaning {
  readonly tone: Tone;
  readonly serving: boolean;
  readonly up: boolean;
  readonly live: boolean;
  readonly trouble: boolean;
}

const meaning = (tone: Tone, serving: boolean, up: boolean, live: boolean, trouble: boolean): StateMeaning => ({ tone, serving, up, live, trouble });

// prettier-ignore
const MEANINGS: Readonly<Record<ServiceState, StateMeaning>> = {
  //                     tone     serving up     live   trouble
  healthy:      meaning('ok',    true,  true,  true,  false),
  external:     meaning('ok',    true,  true,  true,  false),
  completed:    meaning('done',  true,  true,  false, false),
  degraded:     meaning('warn',  false, true,  true,  true),
  starting:     meaning('busy',  false, false, true,  false),
  stopping:     meaning('busy',  false, false, true,  false),
  unhealthy:    meaning('bad',   false, false, true,  true),
  blocked:      meaning('warn',  false, false, false, true),
  unknown:      meaning('warn',  false, false, false, true),
  failed:       meaning('bad',   false, false, false, true),
  'crash-loop': meaning('bad',   false, false, false, true),
  conflict:     meaning('bad',   false, false, false, true),
  stopped:      meaning('idle',  false, false, false, false),
};

export const meaningOf = (state: ServiceState): StateMeaning => MEANINGS[state];
/** Whether a word is a state (read from text: a lifecycle line), without loading the contract's schemas. */
export const isServiceState = (word: string): word is ServiceState => Object.hasOwn(MEANINGS, word);

/** Something of ours runs for it: a process, or a cluster workload (here, apart from the schemas, for the CLI's status table). */
export const isRunning = (status: ServiceStatus | undefined): boolean => status?.pid !== undefined || status?.workload !== undefined;

/** A state not known yet (no status) looks stopped. */
export const toneOf = (state: ServiceState | undefined): Tone => (state ? MEANINGS[state].tone : 'idle');
export const isTrouble = (state: ServiceState): boolean => MEANINGS[state].trouble;
export const isLive = (state: ServiceState): boolean => MEANINGS[state].live;

const where = (column: 'serving' | 'up'): ReadonlySet<ServiceState> =>
  new Set((Object.keys(MEANINGS) as ServiceState[]).filter((state) => MEANINGS[state][column]));

/** What dependents can rely on. */
export const SERVING = where('serving');
/** What counts as started for an operation. */
export const UP = where('up');

/**
 * Which states of a dependency satisfy an edge's condition (dependency-schema.ts): started — it
 * runs, whatever its health, or it ran to success; healthy — it serves; completed — a task that ran
 * to success. A state not known yet (no status) satisfies none.
 */
const SATISFYING: Readonly<Record<DependencyCondition, ReadonlySet<ServiceState>>> = {
  started: new Set<ServiceState>([...(Object.keys(MEANINGS) as ServiceState[]).filter((state) => MEANINGS[state].live && state !== 'stopping'), 'completed']),
  healthy: SERVING,
  completed: new Set<ServiceState>(['completed']),
};

export const satisfies = (condition: DependencyCondition, state: ServiceState | undefined): boolean => state !== undefined && SATISFYING[condition].has(state);
