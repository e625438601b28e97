/**
 * The most one contract message may carry, on every transport (local socket both ways, Electron IPC,
 * the web host's WebSocket). A request over it is refused with a
 * ProtocolError and costs no memory; an answer over it becomes an error saying to ask for less. 4 MiB
 * holds the largest registry text `validateRegistry` takes (1 MiB) even when JSON escaping triples it.
 */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

const MIB = MAX_FRAME_BYTES / (1024 * 1024);

/** What a peer is told when its request passed the bound. */
export const requestTooLarge = {
  id: -1,
  ok: false,
  error: { name: 'ProtocolError', message: `a request over ${MIB} MiB was refused (the most one message may carry)` },
} as const;

export interface Frame {
  /** The message to send: the one given, or the error that replaces an answer too large. */
  readonly message: unknown;
  readonly json: string;
}

/**
 * One outgoing message within the bound: an answer too large is replaced by its error; any other
 * message too large (a pushed batch) is undefined — its sender keeps batches under the bound.
 */
export function boundedFrame(message: unknown): Frame | undefined {
  const json = JSON.stringify(message);
  // A UTF-16 unit is at most 3 bytes of UTF-8: most messages are measured without encoding them.
  if (json.length * 3 <= MAX_FRAME_BYTES || Buffer.byteLength(json) <= MAX_FRAME_BYTES) return { message, json };
  const id = (message as { id?: unknown } | null)?.id;
  if (typeof id !== 'number') return undefined;
  const refusal = {
    id,
    ok: false,
    error: { name: 'ProtocolError', message: `the answer is over ${MIB} MiB, the most one message may carry; ask for less (e.g. fewer log lines)` },
  };
  return { message: refusal, json: JSON.stringify(refusal) };
}
