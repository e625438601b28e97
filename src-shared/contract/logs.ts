/** Log lines as the contract carries them, and the pushed messages of a follow. */
import { z } from 'zod';

export const logLineSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  stream: z.enum(['out', 'err', 'evt']),
  text: z.string(),
});
export type ContractLogLine = z.infer<typeof logLineSchema>;

/**
 * What a follow pushes: batches of lines in order, at most 60 messages a second; when the receiver
 * cannot keep up, the lines it could not take are dropped and said so (`gap`: the seqs skipped).
 */
export const logMessageSchema = z.object({
  logs: z.object({
    service: z.string(),
    lines: z.array(logLineSchema).optional(),
    gap: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
  }),
});
export type LogMessage = z.infer<typeof logMessageSchema>;
