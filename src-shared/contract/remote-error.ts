/**
 * An error from the other side of the contract, rebuilt from its wire form. Apart from wire.ts's
 * schemas (zod) so that a client that trusts its peer — the CLI, talking to the owner in its own
 * private home — can rebuild and tell errors apart without loading them.
 */

/** The most an error's `data` may take as JSON (UTF-16 units); more is not sent, and not taken. */
export const MAX_ERROR_DATA_CHARS = 16 * 1024;

/** An error as the wire carries it: its kind, its words, and its `data` when it has some within the bound. */
export interface WireError {
  name: string;
  message: string;
  data?: unknown;
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
export function boundedData(data: unknown): unknown {
  if (data === undefined) return undefined;
  try {
    const json = JSON.stringify(data);
    return json !== undefined && json.length <= MAX_ERROR_DATA_CHARS ? (JSON.parse(json) as unknown) : undefined;
  } catch {
    return undefined; // a cycle, a BigInt: not JSON
  }
}
