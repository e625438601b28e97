/**
 * How an owner keeps each service's processes together, as `hello` tells it: a cgroup per service
 * (every descendant stays the service's) or, where none can be made, process trees: every descendant
 * seen recorded by pid and start time (with the reason). `process-groups` is what owners before that
 * fallback said (groups and environment markers only). Owners older than this field do not send it.
 */
import { z } from 'zod';

export const processTrackingSchema = z.object({
  mechanism: z.enum(['cgroup', 'process-trees', 'process-groups']),
  /** One sentence: where the cgroups are, or why there are none and what that loses. */
  detail: z.string(),
  /** The folder of this home's cgroups, when the mechanism is cgroup. */
  cgroup: z.string().optional(),
});

export type ProcessTrackingInfo = z.infer<typeof processTrackingSchema>;

/** The mechanism in one line, for `daemon status` and the Settings panel. */
export const trackingLine = (tracking: ProcessTrackingInfo): string =>
  tracking.mechanism === 'cgroup'
    ? `cgroup per service${tracking.cgroup ? ` in ${tracking.cgroup}` : ''}: ${tracking.detail}`
    : tracking.mechanism === 'process-trees'
      ? `process trees (${tracking.detail}): every descendant seen is recorded by pid and start time; environment markers are the last resort`
      : `process groups + environment markers: ${tracking.detail}`;
