/**
 * `provisioning run`: a start on behalf of a command, and the stop after it. The owner holds what a
 * run needs for as long as its connection asks (`runStart` … `runStop`, or the connection's end), and
 * stops what it started for runs only once no run holds it any more — so two runs overlapping in one
 * home (two CI jobs) never stop what the other still needs, and the last one out stops it.
 */
import { z } from 'zod';
import { platformReportSchema } from './platform';

export const runStartSchema = z.object({
  /** The start of the services and what they need, as `platformStart` reports it. */
  start: platformReportSchema,
  /**
   * The services of the plan that nothing ran of before this start (stopped, failed, or being
   * stopped): started for runs, stopped by the last run that holds them. Those that ran stay.
   */
  started: z.array(z.string()),
});
export type RunStart = z.infer<typeof runStartSchema>;

export const runKeptSchema = z.object({ name: z.string(), reason: z.string() });

export const runStopSchema = z.object({
  /** The stop of what this run leaves behind and no other run holds, dependents first; none when nothing is. */
  stop: platformReportSchema.optional(),
  /** Started for runs but left running, and why: another run holds it, or a service outside runs needs it. */
  kept: z.array(runKeptSchema),
});
export type RunStop = z.infer<typeof runStopSchema>;
