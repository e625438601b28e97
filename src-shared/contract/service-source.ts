/**
 * Where a service comes from, as a detail view shows it: its blocks of the registry file and of each
 * override file that also defines it (a sub-table placed apart in a file is a block of its own) (text as in the file, secrets of env files as `${NAME}`, cut at
 * the owner's bound), and the log file it writes.
 */
import { z } from 'zod';

export const serviceSourceBlockSchema = z.object({
  /** The file as shown (relative to the owner's working directory when inside it). */
  file: z.string(),
  /** 1-based line of the block's first header. */
  line: z.number().int(),
  text: z.string(),
  /** The block was longer than the owner sends and is cut at a line. */
  truncated: z.boolean(),
});

export const serviceSourceSchema = z.object({
  /** The registry file's blocks first, then each override file's, in the order they apply; each file's in file order. */
  blocks: z.array(serviceSourceBlockSchema),
  logFile: z.string(),
});
export type ServiceSource = z.infer<typeof serviceSourceSchema>;
