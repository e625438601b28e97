/**
 * A watched service's development loop as faces see it (watch-schema.ts is its registry side): is
 * watching on, and what its last trigger was — the file, how many more changed with it, when, and
 * what it did (restart; rebuild of a docker image; upgrade of a Helm chart).
 */
import { z } from 'zod';

export const WATCH_OUTCOMES = ['restart', 'rebuild', 'upgrade'] as const;
export type WatchOutcome = (typeof WATCH_OUTCOMES)[number];

export const watchTriggerSchema = z.object({
  /** The first file of the burst, relative to the registry file's folder when inside it. */
  file: z.string(),
  /** Other files changed in the same burst. */
  more: z.number().int().min(0),
  at: z.number(),
  action: z.enum(WATCH_OUTCOMES),
});
export type WatchTrigger = z.infer<typeof watchTriggerSchema>;

/** In the status of a service with a `watch` table. */
export const serviceWatchSchema = z.object({
  on: z.boolean(),
  lastTrigger: watchTriggerSchema.optional(),
});
export type ServiceWatch = z.infer<typeof serviceWatchSchema>;

/** The `watch` method's answer: the services watched now, after the change. */
export const watchResultSchema = z.object({ watching: z.array(z.string()) });

/** A trigger in words, as the service's log and `platform watch` say it: "watch: src/app.js changed (and 19 more) → restart". */
export const triggerLine = (trigger: Pick<WatchTrigger, 'file' | 'more' | 'action'>): string =>
  `watch: ${trigger.file} changed${trigger.more > 0 ? ` (and ${trigger.more} more)` : ''} → ${trigger.action}`;
