/**
 * The attach protocol between an interactive service's pty shim and whoever attaches (the owner's
 * engine): frames of one type byte, a 4-byte big-endian length and at most MAX_FRAME bytes of
 * payload. Client to shim: DATA (keystrokes), RESIZE (cols, rows: two 16-bit numbers), DETACH.
 * Shim to client: DATA (what the terminal printed: the scrollback first, then live). The shim closes
 * the connection when the service's terminal ends. A frame of an unknown type or past the bound is
 * a protocol error: the reader says so once and reads nothing more. Node built-ins only (the shim
 * is built alone).
 */

export const FRAME = { data: 1, resize: 2, detach: 3 } as const;
export type FrameType = (typeof FRAME)[keyof typeof FRAME];

/** The largest payload one frame carries; longer data is split. */
export const MAX_FRAME = 64 * 1024;
const HEADER = 5;
const KNOWN = new Set<number>(Object.values(FRAME));

export function frame(type: FrameType, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** DATA frames for any length of bytes. */
export function dataFrames(bytes: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += MAX_FRAME) frames.push(frame(FRAME.data, bytes.subarray(at, at + MAX_FRAME)));
  return frames;
}

/** Terminal sizes are clamped to what a winsize holds and a person can use. */
export const clampSize = (n: number): number => Math.min(Math.max(Math.trunc(Number.isFinite(n) ? n : 1), 1), 1_000);

export const resizeFrame = (cols: number, rows: number): Buffer => {
  const payload = Buffer.alloc(4);
  payload.writeUInt16BE(clampSize(cols), 0);
  payload.writeUInt16BE(clampSize(rows), 2);
  return frame(FRAME.resize, payload);
};

export type Frame = { type: typeof FRAME.data; bytes: Buffer } | { type: typeof FRAME.resize; cols: number; rows: number } | { type: typeof FRAME.detach };

/**
 * Reads frames from a byte stream in any chunking; holds at most one frame's bytes. `push` returns
 * the whole frames it completed, or an error (then ignores everything after): it never throws.
 */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);
  #failed = false;

  push(chunk: Buffer): { frames: Frame[]; error?: string } {
    if (this.#failed) return { frames: [] };
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    while (this.#pending.length >= HEADER) {
      const type = this.#pending.readUInt8(0);
      const length = this.#pending.readUInt32BE(1);
      if (!KNOWN.has(type) || length > MAX_FRAME) return this.#fail(frames, `a frame of type ${type} and ${length} bytes is not part of the attach protocol`);
      if (this.#pending.length < HEADER + length) break;
      const payload = this.#pending.subarray(HEADER, HEADER + length);
      this.#pending = this.#pending.subarray(HEADER + length);
      if (type === FRAME.data) frames.push({ type, bytes: Buffer.from(payload) });
      else if (type === FRAME.detach) frames.push({ type });
      else if (length === 4) frames.push({ type: FRAME.resize, cols: clampSize(payload.readUInt16BE(0)), rows: clampSize(payload.readUInt16BE(2)) });
      else return this.#fail(frames, `a resize frame carries 4 bytes, not ${length}`);
    }
    // What is left is less than one frame: keep a copy, not a view pinning the whole chunk.
    this.#pending = Buffer.from(this.#pending);
    return { frames };
  }

  #fail(frames: Frame[], error: string): { frames: Frame[]; error: string } {
    this.#failed = true;
    this.#pending = Buffer.alloc(0);
    return { frames, error };
  }
}
