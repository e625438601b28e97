/**
 * When to start a service again after it ended: the registry's policy (no | on-failure | always),
 * exponential backoff with jitter and a cap, and a start limit that declares a crash loop. Each wait
 * has a floor whatever the registry says, so a service that crashes at once cannot spin the machine.
 * Pure and clock-free: callers pass times in.
 */
import { constants } from 'node:os';
import type { ServiceConfig } from '@shared/model';
import type { ExitReport } from '../drivers/driver';

type Startup = ServiceConfig['startup'];

export interface RestartDecision {
  readonly restart: boolean;
  readonly delayMs: number;
  /** The start limit was reached: the wait is the longest one. */
  readonly crashLoop: boolean;
}

/** The shortest wait before any restart: Docker's and systemd's first backoff (a 1 ms one gave 25 restarts a second). */
export const MIN_RESTART_DELAY_MS = 100;
/** The shortest wait of a service in crash-loop: at most about one start a second while it keeps failing. */
export const MIN_CRASH_LOOP_DELAY_MS = 1_000;

/** Exit 0, or one of the service's `success_exit_codes`, without a signal. */
export const isSuccess = (exit: Pick<ExitReport, 'code' | 'signal'>, successCodes: readonly number[]): boolean =>
  exit.signal === null && exit.code !== null && (exit.code === 0 || successCodes.includes(exit.code));

/**
 * A service's clean end: a success, or an end by its own stop signal — killed by it, or exiting with
 * its conventional code 128 + its number (143 for TERM, 130 for INT: a shell, the JVM, Node) — as
 * systemd counts a SIGTERM death clean. Never SIGKILL, which the OOM killer and forced stops use.
 */
export function isCleanExit(exit: Pick<ExitReport, 'code' | 'signal'>, startup: Partial<Pick<Startup, 'success_exit_codes' | 'stop_signal'>>): boolean {
  if (isSuccess(exit, startup.success_exit_codes ?? [])) return true;
  const signal = `SIG${startup.stop_signal ?? 'TERM'}` as NodeJS.Signals;
  if (signal === 'SIGKILL') return false;
  return exit.signal === signal || (exit.signal === null && exit.code === 128 + constants.signals[signal]);
}

export class RestartTracker {
  #starts: number[] = [];
  #failuresInRow = 0;

  constructor(
    private readonly startup: Pick<Startup, 'restart' | 'restart_delay' | 'restart_delay_max' | 'start_limit' | 'start_limit_window'> &
      Partial<Pick<Startup, 'success_exit_codes' | 'stop_signal'>>,
    private readonly random: () => number = Math.random,
  ) {}

  recordStart(at: number): void {
    this.#starts = [...this.#starts.filter((start) => at - start < this.startup.start_limit_window), at];
  }

  /** A user's start or stop wipes the slate. */
  reset(): void {
    this.#starts = [];
    this.#failuresInRow = 0;
  }

  /** `clean`: the end was not a failure (isCleanExit, unless the engine ended it for a failure of its own). */
  decide(exit: ExitReport, ranMs: number, now: number, clean = isCleanExit(exit, this.startup)): RestartDecision {
    const { restart, restart_delay, restart_delay_max, start_limit, start_limit_window } = this.startup;
    const wanted = restart === 'always' || (restart === 'on-failure' && !clean);
    if (!wanted) return { restart: false, delayMs: 0, crashLoop: false };
    this.#failuresInRow = ranMs >= start_limit_window ? 1 : this.#failuresInRow + 1;
    const recent = this.#starts.filter((start) => now - start < start_limit_window).length;
    if (recent >= start_limit) return { restart: true, delayMs: Math.max(MIN_CRASH_LOOP_DELAY_MS, restart_delay_max), crashLoop: true };
    const first = Math.max(MIN_RESTART_DELAY_MS, restart_delay);
    const longest = Math.max(first, restart_delay_max);
    const base = Math.min(longest, first * 2 ** (this.#failuresInRow - 1));
    // ±10% jitter, so services that failed together do not retry in lockstep; never under the floor.
    const jittered = Math.round(Math.min(longest, base * (0.9 + 0.2 * this.random())));
    return { restart: true, delayMs: Math.max(MIN_RESTART_DELAY_MS, jittered), crashLoop: false };
  }
}
