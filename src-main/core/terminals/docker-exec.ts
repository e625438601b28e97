/**
 * A terminal in a running container: `docker exec` through the engine's API (dockerode), with a
 * TTY and stdin attached, resized through the exec resize API; without a tty, stdout and stderr
 * apart (the engine multiplexes them) and stdin's end passed on (a half-close).
 *
 * Docker ends an exec only when its program exits: a client that goes away leaves it running
 * (moby#9098). So a hang-up signals the program itself — by its host pid when the engine runs on
 * this machine and lets us, else from inside the container by its pid there (read from the host's
 * /proc, NSpid) — and says so when neither can be done (an engine in a VM).
 */
import { readFileSync } from 'node:fs';
import { PassThrough, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { HANGUP_GRACE_MS, type TerminalEnd, type TerminalProcess, type TerminalRequest } from './terminal-process';

export async function openDockerExec(docker: Dockerode, container: string, request: TerminalRequest): Promise<TerminalProcess> {
  const exec = await docker.getContainer(container).exec({
    Cmd: request.cmd ? [...request.cmd] : ['/bin/sh', '-c', 'exec "${SHELL:-$(command -v bash || echo /bin/sh)}"'],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: request.tty,
    ...(request.tty ? { Env: ['TERM=xterm-256color'] } : {}),
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: request.tty })) as Duplex;
  stream.on('error', () => undefined);
  if (request.tty) stream.on('data', (data: Buffer) => request.output(data, 'stdout'));
  else {
    const stdout = new PassThrough().on('data', (data: Buffer) => request.output(data, 'stdout'));
    const stderr = new PassThrough().on('data', (data: Buffer) => request.output(data, 'stderr'));
    docker.modem.demuxStream(stream, stdout, stderr);
  }
  const resize = (cols: number, rows: number) => void exec.resize({ w: cols, h: rows }).catch(() => undefined);
  if (request.tty) resize(request.cols, request.rows);
  const ended = new Promise<TerminalEnd>((resolve) => {
    stream.once('close', () => {
      exec.inspect().then(
        (info) => resolve({ code: info.ExitCode ?? null, signal: null }),
        (error: Error) => resolve({ code: null, signal: null, reason: `docker did not say how it ended: ${error.message}` }),
      );
    });
  });
  let closing = false;
  return {
    ended,
    write: (data) => void stream.write(data),
    endInput: () => void stream.end(),
    resize,
    pause: () => void stream.pause(),
    resume: () => void stream.resume(),
    close: () => {
      if (closing) return;
      closing = true;
      void hangUp(docker, container, exec).finally(() => stream.destroy());
    },
  };
}

/** Ends the exec's program: SIGHUP, then SIGKILL after the grace if it still runs. */
async function hangUp(docker: Dockerode, container: string, exec: Dockerode.Exec): Promise<void> {
  const pid = (await exec.inspect().catch(() => undefined))?.Pid;
  if (!pid) return;
  await signal(docker, container, pid, 'HUP');
  const deadline = Date.now() + HANGUP_GRACE_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!(await exec.inspect().catch(() => undefined))?.Running) return;
  }
  await signal(docker, container, pid, 'KILL');
}

async function signal(docker: Dockerode, container: string, hostPid: number, name: 'HUP' | 'KILL'): Promise<void> {
  try {
    process.kill(hostPid, `SIG${name}`);
    return;
  } catch {
    // Not ours to signal from here (another user's, or in a VM): from inside the container.
  }
  const inner = containerPid(hostPid);
  if (inner === undefined) return;
  const kill = await docker.getContainer(container).exec({ Cmd: ['kill', `-${name}`, String(inner)] });
  await kill.start({ Detach: true }).catch(() => undefined);
}

/** The pid in the container's namespace of a process of this machine (the last NSpid). */
function containerPid(hostPid: number): number | undefined {
  try {
    const line = /^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${hostPid}/status`, 'utf8'))?.[1];
    const inner = Number(line?.trim().split(/\s+/).at(-1));
    return Number.isInteger(inner) && inner > 0 ? inner : undefined;
  } catch {
    return undefined;
  }
}
