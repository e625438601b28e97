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
/** A fix a face can offer in one click: start a stopped dependency, stop the service of ours holding a port. */
export const remedySchema = z.object({ action: z.enum(['start', 'stop']), service: z.string() });
export type Remedy = z.infer<typeof remedySchema>;

export const readinessSchema = z.object({
  name: z.string(),
  verdict: z.enum(['ready', 'would start', 'blocked']),
  reasons: z.array(z.string()),
  /** Optional only so an older owner's answer still parses. */
  remedies: z.array(remedySchema).optional(),
});
export type Readiness = z.infer<typeof readinessSchema>;
