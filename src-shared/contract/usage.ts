/** A service's resource usage, sampled by the owner: the whole process tree (its cgroup), else its main process. */
import { z } from 'zod';

export const usageSampleSchema = z.object({
  /** Share of one core over the last interval (200 = two cores busy). */
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  at: z.number(),
});
export type UsageSample = z.infer<typeof usageSampleSchema>;
