/** Messages on a stream transport: one JSON object per line. Errors cross as data. */
import { z } from 'zod';
import { stateEventSchema } from './service-state';

export const requestSchema = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type Request = z.infer<typeof requestSchema>;

export const wireErrorSchema = z.object({ name: z.string(), message: z.string() });
export type WireError = z.infer<typeof wireErrorSchema>;

export const responseSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: wireErrorSchema }),
]);
export type Response = z.infer<typeof responseSchema>;

/**
 * An event as a connection receives it: numbered from the snapshot `subscribe` answered with, one
 * more each time, so a receiver that sees a gap knows it missed something and subscribes again.
 */
export const eventMessageSchema = z.object({ seq: z.number().int().positive(), event: stateEventSchema });
export type EventMessage = z.infer<typeof eventMessageSchema>;

/** An error from the other side, rebuilt with its name so callers can tell kinds apart. */
export class RemoteError extends Error {
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
}
