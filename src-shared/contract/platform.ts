/**
 * What a platform operation (start or stop of many services along the graph) reports: per service
 * what happened and when, and the chain of services that bounded its wall time.
 */
import { z } from 'zod';

export const STEP_OUTCOMES = ['done', 'skipped', 'failed', 'blocked', 'cancelled'] as const;

export const stepSchema = z.object({
  name: z.string(),
  /** done: started (or stopped); skipped: already so; failed; blocked: a prerequisite failed; cancelled: never launched. */
  outcome: z.enum(STEP_OUTCOMES),
  reason: z.string(),
  began: z.number().optional(),
  ended: z.number().optional(),
});
export type Step = z.infer<typeof stepSchema>;

export const platformReportSchema = z.object({
  operation: z.enum(['start', 'stop']),
  began: z.number(),
  ended: z.number(),
  cancelled: z.boolean(),
  /** In the order the services finished. */
  steps: z.array(stepSchema),
  /** The chain of prerequisites that ended last: each waited for the one before it. */
  criticalPath: z.array(z.string()),
});
export type PlatformReport = z.infer<typeof platformReportSchema>;

export const updateReportSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
  /** Changed or removed services that were running: stopped, and (changed ones) started again. */
  stop: platformReportSchema.optional(),
  start: platformReportSchema.optional(),
});
export type UpdateReport = z.infer<typeof updateReportSchema>;
