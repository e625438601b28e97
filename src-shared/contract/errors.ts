/**
 * The data of the engine's errors that faces act on, with the engine's own words left to say what
 * happened: a face reads the data to offer its remedy (the CLI its flags, the UI a confirmation).
 */
import { z } from 'zod';

/** A stop refused because services that need it run: `dependents`, in the order they would stop. */
export const dependentsRunningSchema = z.object({ service: z.string(), dependents: z.array(z.string()) });
export type DependentsRunning = z.infer<typeof dependentsRunningSchema>;

export const DEPENDENTS_RUNNING = 'DependentsRunningError';

/** The refused stop's data, when `error` is one (thrown by the engine here, or rebuilt from the wire). */
export function dependentsRunningOf(error: unknown): DependentsRunning | undefined {
  if (!(error instanceof Error) || error.name !== DEPENDENTS_RUNNING) return undefined;
  const parsed = dependentsRunningSchema.safeParse((error as { data?: unknown }).data);
  return parsed.success ? parsed.data : undefined;
}
