/**
 * A located issue's context, for a face's file viewer: the lines of the registry file (or an
 * override file) around the line, as the file has them now, with env file secrets as
 * `${NAME}`. Only the registry's own files are read; an env file's lines are withheld (their values
 * are secrets), with the reason; any other path is refused.
 */
import { z } from 'zod';

/** Lines either side of the line, at most. */
export const MAX_CONTEXT_LINES = 20;
/** Characters of one line sent, at most (a minified line must not flood the viewer). */
export const MAX_LINE_CHARS = 400;

export const registryLinesParamsSchema = z.object({
  /** The file as an issue names it (as shown), or its path on disk. */
  file: z.string().min(1).max(4096),
  line: z.number().int().min(1),
  context: z.number().int().min(0).max(MAX_CONTEXT_LINES).default(8),
});

export const registryLinesSchema = z.object({
  /** As shown. */
  file: z.string(),
  kind: z.enum(['registry', 'override', 'env']),
  /** The 1-based number of `lines[0]`. */
  firstLine: z.number().int(),
  lines: z.array(z.string()),
  /** How many lines the file has now (an issue's line may be past the end of a file edited since). */
  lineCount: z.number().int(),
  /** Why no line is sent (an env file's values are secrets). */
  withheld: z.string().optional(),
});
export type RegistryLines = z.infer<typeof registryLinesSchema>;
