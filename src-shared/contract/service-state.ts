/**
 * One vocabulary of service states everywhere: CLI, graph, cards, tray (design.md); what each one
 * means (tone, serving, up, trouble) is state-meaning.ts. Every transition is an event with a time
 * and a reason.
 */
import { z } from 'zod';
import { probeResultSchema } from './health';
import { serviceLinkSchema } from './links';
import { usageSampleSchema } from './usage';
import { serviceWatchSchema, watchTriggerSchema } from './watch';
import { SESSION_FACES, TERMINAL_KINDS } from './terminal';

export const SERVICE_STATES = [
  'stopped',
  'blocked',
  'starting',
  'healthy',
  'unhealthy',
  'degraded',
  'stopping',
  'failed',
  'crash-loop',
  /** A task (kind = "task") that ran to success: serving for what depends on it. */
  'completed',
  'external',
  'conflict',
  /** The engine that runs it (Docker, a cluster) cannot be reached: its real state is not known. */
  'unknown',
] as const;

export const serviceStateSchema = z.enum(SERVICE_STATES);
export type ServiceState = z.infer<typeof serviceStateSchema>;

export const exitInfoSchema = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  at: z.number(),
  reason: z.string(),
});
export type ExitInfo = z.infer<typeof exitInfoSchema>;

/** What a face may ask of a service; which of them it allows now is in its status (service-actions.ts). */
export const SERVICE_ACTIONS = ['start', 'stop', 'restart', 'rebuild'] as const;
export type ServiceAction = (typeof SERVICE_ACTIONS)[number];

export const serviceStatusSchema = z.object({
  name: z.string(),
  mode: z.string(),
  state: serviceStateSchema,
  /** Why it is in this state, in words ("exited with code 1; restarting in 2s"). */
  reason: z.string(),
  since: z.number(),
  pid: z.number().int().optional(),
  /** For cluster services, what runs it (`deployment/web in default`): they have no pid of ours. */
  workload: z.string().optional(),
  startedAt: z.number().optional(),
  restarts: z.number().int(),
  lastExit: exitInfoSchema.optional(),
  /** When a restart is scheduled (failed or crash-loop). */
  nextRetryAt: z.number().optional(),
  /** The last health check result, while it runs. */
  health: probeResultSchema.optional(),
  /** The verdict of the image's own HEALTHCHECK (docker, compose), shown beside our probe. */
  engineHealth: z.string().optional(),
  /** CPU and memory of its whole process tree, sampled by the owner every few seconds while it runs. */
  usage: usageSampleSchema.optional(),
  /** The service's last output lines, when it failed to start. */
  logTail: z.array(z.string()).optional(),
  /**
   * The actions it allows now, set by the engine on every status it gives out. Optional only so an
   * older owner's answer still parses: faces read it through actionsOf, which computes it then.
   */
  actions: z.array(z.enum(SERVICE_ACTIONS)).optional(),
  /** The terminals it can open now (terminal.ts): `exec` while it runs in a mode that has one, `attach` while an `interactive` one runs; absent: none. */
  terminals: z.array(z.enum(TERMINAL_KINDS)).optional(),
  /** Where to open it: its registry links and one per HTTP port (service-links.ts); absent when it has none. */
  links: z.array(serviceLinkSchema).optional(),
  /** Its development loop (watch.ts), when it has a `watch` table: on or off, and the last trigger. */
  watch: serviceWatchSchema.optional(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export { isRunning } from './state-meaning';

/**
 * One entry of the engine's events timeline (event-timeline.ts): a service's state changed. `seq`
 * numbers the owner's timeline (kept across owner restarts), `logSeq` is the lifecycle line the
 * change wrote into the service's log (absent for services without a log of ours).
 */
export const timelineEventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.number(),
  service: z.string(),
  /** Absent for the first state the timeline saw of it. */
  from: serviceStateSchema.optional(),
  to: serviceStateSchema,
  reason: z.string(),
  /** A restart is scheduled for then (failed or crash-loop, in backoff). */
  retryAt: z.number().optional(),
  logSeq: z.number().int().optional(),
  /** A watch trigger (its state unchanged: `from` is `to`), not a change of state. */
  watch: watchTriggerSchema.optional(),
  /** A terminal session opened or closed (its state unchanged: `from` is `to`), and by which face. */
  terminal: z.object({ face: z.enum(SESSION_FACES), phase: z.enum(['opened', 'closed']) }).optional(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const stateEventSchema = z.object({
  type: z.literal('state'),
  status: serviceStatusSchema,
  /** Set when this event changed the service's state: the timeline entry it made. */
  transition: timelineEventSchema.optional(),
});
export type StateEvent = z.infer<typeof stateEventSchema>;
