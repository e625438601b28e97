/**
 * What a platform operation (start or stop of many services along the graph) reports: per service
 * what happened and when, and the chain of services that bounded its wall time.
 */
import { z } from 'zod';
import { locatedIssueSchema } from './registry';

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

export const PLATFORM_OPERATIONS = ['start', 'stop'] as const;

export const platformReportSchema = z.object({
  operation: z.enum(PLATFORM_OPERATIONS),
  /** The services involved, in the order they start (dependencies first) or stop (dependents first). */
  plan: z.array(z.string()),
  began: z.number(),
  ended: z.number(),
  cancelled: z.boolean(),
  /** In the order the services finished. */
  steps: z.array(stepSchema),
  /** The chain of prerequisites that ended last: each waited for the one before it. */
  criticalPath: z.array(z.string()),
});
export type PlatformReport = z.infer<typeof platformReportSchema>;

/**
 * Pushed to the connection that asked, as an operation begins: what it will touch, in order, so a
 * face shows the owner's plan (from the registry that runs) instead of deriving one from the file.
 */
export const operationPlanSchema = z.object({ operation: z.enum(PLATFORM_OPERATIONS), plan: z.array(z.string()) });
export type OperationPlan = z.infer<typeof operationPlanSchema>;

/** `platform restart`: the named services and what needs them stopped, then started again with what ran before. */
export const restartReportSchema = z.object({ stop: platformReportSchema, start: platformReportSchema });
export type RestartReport = z.infer<typeof restartReportSchema>;

/**
 * `ensure`: are the services an operation needs (`required_for`) running, and with `autoStart`, the
 * missing ones started with what they need — all or nothing: if any of them is blocked, nothing starts.
 */
export const ensureReportSchema = z.object({
  operation: z.string(),
  required: z.array(z.string()),
  running: z.array(z.string()),
  /** Still not running when the answer was made. */
  missing: z.array(z.string()),
  started: z.array(z.string()),
  /** Why nothing was started, or what failed to. */
  problem: z.string().optional(),
  start: platformReportSchema.optional(),
});
export type EnsureReport = z.infer<typeof ensureReportSchema>;

export const updateReportSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
  /** Changed or removed services that were running: stopped, and (changed ones) started again. */
  stop: platformReportSchema.optional(),
  start: platformReportSchema.optional(),
});
export type UpdateReport = z.infer<typeof updateReportSchema>;

/**
 * `updatePlan`: what `update` would do with the registry file as it is now, changing nothing. Of
 * the changed and removed services, the running ones (or those on their way) would be stopped, and
 * the changed ones started again; the rest are only redefined. A file that is not valid plans nothing
 * and carries its located issues (the update would refuse it).
 */
export const updatePlanSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
  /** Removed and running: the update stops them. */
  stop: z.array(z.string()),
  /** Changed and running: out of date with the file; the update stops and starts them again. */
  restart: z.array(z.string()),
  issues: z.array(locatedIssueSchema),
});
export type UpdatePlan = z.infer<typeof updatePlanSchema>;
