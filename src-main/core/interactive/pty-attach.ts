/**
 * The owner's side of an attach (a terminal session of kind `attach`): a connection to an
 * interactive instance's pty shim (pty-shim.ts), only through the private pty folder (the folder's
 * permission is the peer check). What the terminal prints comes to `output` (its scrollback first);
 * keystrokes and sizes go to it. Whoever ran the service — this owner or one before it — the shim
 * is found by the instance alone.
 */
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { ownFolder } from '../own-folder';
import { dataFrames, frame, FRAME, FrameReader, resizeFrame } from './pty-frames';
import { ptySocketPath } from './pty-socket-path';
import { writeBounded, type TerminalEnd, type TerminalProcess, type TerminalRequest } from '../terminals/terminal-process';

const GONE = 'its terminal is gone: the service is not running on one (restart it to get a terminal)';

/**
 * An attach as a terminal session's process: ends when it is detached (`close`) or the terminal
 * ends (the service and everything holding its terminal are gone). Its size is the attacher's when
 * it has a terminal itself; an attach over pipes leaves the size alone. The end of piped input is
 * not passed on: the terminal is the service's, and other attachers may be typing. Throws an Error
 * saying why when the instance's terminal cannot be reached.
 */
export async function attachToPty(home: string, instance: string, request: TerminalRequest): Promise<TerminalProcess> {
  const path = ptySocketPath(home, instance);
  let own: boolean;
  try {
    own = ownFolder(dirname(path)).own;
  } catch {
    throw new Error(GONE);
  }
  if (!own) throw new Error(`${dirname(path)} is not a private folder of yours: move it away and restart the service`);
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? new Error(GONE) : new Error(`cannot reach its terminal: ${error.message}`)),
    );
  });
  const reader = new FrameReader();
  let why: string | undefined;
  let detached = false;
  let over = false;
  socket.on('data', (chunk: Buffer) => {
    const { frames, error } = reader.push(chunk);
    for (const f of frames) if (f.type === FRAME.data) request.output(f.bytes, 'stdout');
    if (error) {
      why = `its terminal sent what it should not (${error})`;
      socket.destroy();
    }
  });
  socket.on('error', (error) => (why ??= `its terminal's connection failed: ${error.message}`));
  const ended = new Promise<TerminalEnd>((resolve) =>
    socket.once('close', () => {
      over = true;
      resolve({ code: null, signal: null, reason: why ?? (detached ? 'detached' : 'the service ended') });
    }),
  );
  const send = (bytes: Buffer) => void (over || socket.write(bytes));
  if (request.tty) send(resizeFrame(request.cols, request.rows));
  return {
    ended,
    write: (bytes) => writeBounded(socket.writableLength, () => dataFrames(bytes).forEach(send)),
    endInput: () => undefined,
    resize: (cols, rows) => send(resizeFrame(cols, rows)),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    close: () => {
      detached = true;
      if (!over) socket.end(frame(FRAME.detach));
    },
  };
}
