/** The result of one health probe, as shown in status, sparklines and `--json`. */
import { z } from 'zod';

export const probeResultSchema = z.object({
  ok: z.boolean(),
  /** Wall time of the probe. */
  latencyMs: z.number(),
  /** What the probe saw: a status line, a command's output, why it failed. */
  message: z.string(),
  at: z.number(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** Per service: running and healthy, would start now, or blocked — with the reasons. */
export const readinessSchema = z.object({
  name: z.string(),
  verdict: z.enum(['ready', 'would start', 'blocked']),
  reasons: z.array(z.string()),
});
export type Readiness = z.infer<typeof readinessSchema>;
