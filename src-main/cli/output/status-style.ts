/** How service states look in a terminal: each state in its tone's colour (state-meaning.ts), durations made short. */
import type { ServiceState, ServiceStatus } from '@shared/contract/service-state';
import { isRunning, toneOf, type Tone } from '@shared/contract/state-meaning';
import { formatDuration } from '@shared/model/duration';
import type { Palette } from './palette';

/** The terminal's colour for each tone: the UI's colours as near as a terminal has them. */
const TONE_PAINT: Readonly<Record<Tone, 'green' | 'cyan' | 'yellow' | 'red' | 'dim' | 'magenta'>> = {
  ok: 'green',
  // A task that ran to success: serving, but nothing runs; set apart from both (the UI's violet).
  done: 'magenta',
  busy: 'cyan',
  warn: 'yellow',
  bad: 'red',
  idle: 'dim',
};

export const paintState = (paint: Palette, state: ServiceState): string => paint[TONE_PAINT[toneOf(state)]](state);

export const uptime = (status: ServiceStatus, now: number): string =>
  status.startedAt && isRunning(status) ? formatDuration(Math.max(0, now - status.startedAt)) : '';

export const lastExit = (status: ServiceStatus): string => {
  const exit = status.lastExit;
  if (!exit) return '';
  return exit.signal ? exit.signal : exit.code === null ? 'unknown' : `code ${exit.code}`;
};
