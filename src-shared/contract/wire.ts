/** Messages on a stream transport: one JSON object per line. Errors cross as data. */
import { z } from 'zod';
import { boundedData, MAX_ERROR_DATA_CHARS, RemoteError, type WireError } from './remote-error';

export { MAX_ERROR_DATA_CHARS, RemoteError, type WireError };

export const requestSchema = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type Request = z.infer<typeof requestSchema>;

/** `data`: what a face needs to act on the error (a refused stop's dependents), as JSON. */
export const wireErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  // Data past the bound is dropped, never a reason to lose the answer it came with.
  data: z
    .unknown()
    .optional()
    .transform((data) => boundedData(data)),
});

export const responseSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: wireErrorSchema }),
]);
export type Response = z.input<typeof responseSchema>;

/** An error as the wire carries it: its kind, its words, and its `data` when it has some within the bound. */
export function errorToWire(error: unknown): WireError {
  const failure = error instanceof Error ? error : new Error(String(error));
  const data = boundedData((failure as { data?: unknown }).data);
  return data === undefined ? { name: failure.name, message: failure.message } : { name: failure.name, message: failure.message, data };
}
