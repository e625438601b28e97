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
export const serviceRemedySchema = z.object({ action: z.enum(['start', 'stop']), service: z.string() });

/**
 * A process that is not ours holds a port the service needs: a face may offer to stop it, only after
 * the person confirms, through `stopPortHolder` with this identity (pid and start time: a pid reused
 * since is someone else, and is refused). Offered only for a process of the owner's own user.
 */
export const processHolderSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  pid: z.number().int().min(2),
  /** Opaque (process-identity.ts): clock ticks since boot on Linux. */
  startTime: z.string().min(1).max(64),
});
export type ProcessHolder = z.infer<typeof processHolderSchema>;

export const stopProcessRemedySchema = processHolderSchema.extend({
  action: z.literal('stop-process'),
  /** Its command's name (as `ps` shows it), for the person to recognise it. */
  command: z.string(),
});
export type StopProcessRemedy = z.infer<typeof stopProcessRemedySchema>;

export const remedySchema = z.union([serviceRemedySchema, stopProcessRemedySchema]);
export type Remedy = z.infer<typeof remedySchema>;

/** What `stopPortHolder` did: SIGTERM was sent; `ended` says whether the process ended within the wait. */
export const portHolderStopSchema = z.object({ pid: z.number(), port: z.number(), command: z.string(), ended: z.boolean(), message: z.string() });
export type PortHolderStop = z.infer<typeof portHolderStopSchema>;

export const readinessSchema = z.object({
  name: z.string(),
  verdict: z.enum(['ready', 'would start', 'blocked']),
  reasons: z.array(z.string()),
  /** Optional only so an older owner's answer still parses. */
  remedies: z.array(remedySchema).optional(),
});
export type Readiness = z.infer<typeof readinessSchema>;
