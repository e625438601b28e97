/** Messages on a stream transport: one JSON object per line. Errors cross as data. */
import { z } from 'zod';

export const requestSchema = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type Request = z.infer<typeof requestSchema>;

/** The most an error's `data` may take as JSON (UTF-16 units); more is not sent, and not taken. */
export const MAX_ERROR_DATA_CHARS = 16 * 1024;

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
export type WireError = z.input<typeof wireErrorSchema>;

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

/** An error from the other side, rebuilt with its name (so callers can tell kinds apart) and its data. */
export class RemoteError extends Error {
  readonly data: unknown;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.data = boundedData(wire.data);
  }
}

/** The value when it is JSON within MAX_ERROR_DATA_CHARS, else undefined. */
function boundedData(data: unknown): unknown {
  if (data === undefined) return undefined;
  try {
    const json = JSON.stringify(data);
    return json !== undefined && json.length <= MAX_ERROR_DATA_CHARS ? (JSON.parse(json) as unknown) : undefined;
  } catch {
    return undefined; // a cycle, a BigInt: not JSON
  }
}
