/** The attach protocol's reader: any chunking, bounded, and an error (never a throw) for what is not the protocol. */
import { describe, expect, it } from 'vitest';
import { dataFrames, frame, FRAME, FrameReader, MAX_FRAME, resizeFrame } from '../../../../src-main/core/interactive/pty-frames';

describe('pty frames', () => {
  it('reads data, resize and detach frames split at every byte', () => {
    const bytes = Buffer.concat([...dataFrames(Buffer.from('héllo')), resizeFrame(132, 40), frame(FRAME.detach)]);
    const reader = new FrameReader();
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])).frames);
    expect(frames).toEqual([{ type: FRAME.data, bytes: Buffer.from('héllo') }, { type: FRAME.resize, cols: 132, rows: 40 }, { type: FRAME.detach }]);
  });

  it('splits long data into frames of at most MAX_FRAME bytes, and clamps sizes', () => {
    const frames = dataFrames(Buffer.alloc(MAX_FRAME * 2 + 1, 1));
    expect(frames.map((f) => f.length - 5)).toEqual([MAX_FRAME, MAX_FRAME, 1]);
    expect(new FrameReader().push(resizeFrame(0, 99_999)).frames).toEqual([{ type: FRAME.resize, cols: 1, rows: 1_000 }]);
  });

  it('refuses an unknown type, an oversized length or a malformed resize once, then reads nothing', () => {
    const oversized = Buffer.from([FRAME.data, 0xff, 0xff, 0xff, 0xff]);
    const reader = new FrameReader();
    expect(reader.push(Buffer.concat([frame(FRAME.detach), oversized]))).toEqual({
      frames: [{ type: FRAME.detach }],
      error: expect.stringMatching(/not part of the attach protocol/),
    });
    expect(reader.push(frame(FRAME.detach))).toEqual({ frames: [] });
    expect(new FrameReader().push(Buffer.from([9, 0, 0, 0, 0])).error).toMatch(/type 9/);
    expect(new FrameReader().push(frame(FRAME.resize, Buffer.alloc(3))).error).toMatch(/4 bytes, not 3/);
  });
});
