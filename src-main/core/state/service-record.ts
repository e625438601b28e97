/** What the state store keeps per service: enough to find, verify, stop and explain its process. */
import { z } from 'zod';

const exitSchema = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  at: z.number(),
  /** Why it ended, when we know more than the code ("stopped by user", "not our child: code unknown"). */
  reason: z.string(),
});

export const serviceRecordSchema = z.object({
  name: z.string(),
  /** Whether a process of it should run: a restart is due, or it runs. What adoption acts on. */
  desired: z.enum(['running', 'stopped']),
  /**
   * The user asked for it to run and has not stopped it since: while it is blocked (by a dependency
   * or a preflight problem), it starts by itself once that clears (desired-state.ts).
   */
  wanted: z.boolean().optional(),
  /** Wanted but blocked: a new owner has it wait again rather than show it stopped. */
  waiting: z.boolean().optional(),
  /** The running instance, absent once it has exited. */
  process: z
    .object({
      instance: z.string(),
      pid: z.number().int().positive().optional(),
      startTime: z.string(),
      pgid: z.number().int().positive().optional(),
      command: z.array(z.string()),
      configHash: z.string(),
      startedAt: z.number(),
      /** A forking binary service: its launcher exited 0 and left its daemon running; pid names that main process. */
      forking: z.boolean().optional(),
      /** The container's id, for docker and compose services. */
      container: z.string().optional(),
      /** What runs it in a cluster (`deployment/web in default`), for kubernetes services: they have no pid. */
      workload: z.string().optional(),
    })
    .optional(),
  /** The machine's boot its last run started in (process-identity.ts currentBoot): another one means the machine restarted since. */
  boot: z.string().max(100).optional(),
  /** The log's last seq when the current (or last) run started: its failure excerpts quote only later lines. */
  logFrom: z.number().int().min(0).optional(),
  restarts: z.number().int().min(0),
  lastExit: exitSchema.optional(),
  /** A task that ran to success and was neither started nor stopped since: a new owner shows it completed. */
  completed: z.boolean().optional(),
});

export type ServiceRecord = z.infer<typeof serviceRecordSchema>;
export type ExitRecord = z.infer<typeof exitSchema>;
export type ProcessRecord = NonNullable<ServiceRecord['process']>;
