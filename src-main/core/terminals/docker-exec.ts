/**
 * A terminal in a running container: `docker exec` through the engine's API (dockerode), with a
 * TTY and stdin attached, resized through the exec resize API; without a tty, stdout and stderr
 * apart (the engine multiplexes them) and stdin's end passed on (a half-close).
 *
 * Docker ends an exec only when its program exits: a client that goes away leaves it running
 * (moby#9098). So a hang-up signals the program itself — by its host pid when that process of this
 * machine is in the container's cgroup (else the pid is the engine's VM's, or another machine's, and
 * here may be anyone's) and we may, else from inside the container by its pid there (read from the
 * host's /proc, NSpid) — and its end says so when neither can be done (an engine in a VM).
 */
import { readFileSync } from 'node:fs';
import { PassThrough, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { HANGUP_GRACE_MS, writeBounded, type TerminalEnd, type TerminalProcess, type TerminalRequest } from './terminal-process';

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
  if (request.tty) await firstSize(exec, request.cols, request.rows);
  const ended = new Promise<TerminalEnd>((resolve) => {
    stream.once('close', () => {
      exec.inspect().then(
        (info) => resolve({ code: info.ExitCode ?? null, signal: null }),
        (error: Error) => resolve({ code: null, signal: null, reason: `docker did not say how it ended: ${error.message}` }),
      );
    });
  });
  let closing = false;
  let unsignalled = false;
  return {
    ended: ended.then((end) => (unsignalled ? { ...end, reason: MAY_STILL_RUN } : end)),
    write: (data) => writeBounded(stream.writableLength, () => stream.write(data)),
    endInput: () => void stream.end(),
    resize,
    pause: () => void stream.pause(),
    resume: () => void stream.resume(),
    close: () => {
      if (closing) return;
      closing = true;
      void hangUp(docker, exec)
        .catch(() => false)
        .then((done) => {
          unsignalled = !done;
          stream.destroy();
        });
    },
  };
}

/** Tries of the first resize: refused until the engine has the exec running. */
const FIRST_SIZE_TRIES = 10;

/**
 * The terminal's size, set before the open answers, so the first line typed already sees it (`stty
 * size`). The engine refuses a resize until the exec runs: tried again shortly, as docker's CLI does.
 */
async function firstSize(exec: Dockerode.Exec, cols: number, rows: number): Promise<void> {
  for (let attempt = 1; attempt <= FIRST_SIZE_TRIES; attempt++) {
    if (
      await exec.resize({ w: cols, h: rows }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
  }
}

const MAY_STILL_RUN = 'hung up, but its program could not be signalled (an engine in a VM or on another machine): the program may still run in the container';

/** Ends the exec's program: SIGHUP, then SIGKILL after the grace if it still runs. False when it could not be signalled. */
async function hangUp(docker: Dockerode, exec: Dockerode.Exec): Promise<boolean> {
  const info = await exec.inspect().catch(() => undefined);
  if (!info) return false;
  if (!info.Running || !info.Pid) return true;
  const target = { docker, container: info.ContainerID, hostPid: info.Pid };
  if (!(await signal(target, 'HUP'))) return false;
  const deadline = Date.now() + HANGUP_GRACE_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!(await exec.inspect().catch(() => undefined))?.Running) return true;
  }
  return signal(target, 'KILL');
}

interface Target {
  readonly docker: Dockerode;
  /** The container's full id. */
  readonly container: string;
  /** The exec's pid as the engine sees it: a pid of this machine only when the engine runs here. */
  readonly hostPid: number;
}

/**
 * Signals the exec's program: by its pid here only when that process is in the container's cgroup
 * (an engine in a VM, another pid namespace or another machine gives a pid that here may be
 * anyone's); if we may not (another user's engine), from inside the container by its pid there.
 */
async function signal({ docker, container, hostPid }: Target, name: 'HUP' | 'KILL'): Promise<boolean> {
  if (!inContainer(hostPid, container)) return false;
  try {
    process.kill(hostPid, `SIG${name}`);
    return true;
  } catch {
    // Not ours to signal from here: from inside the container.
  }
  const inner = containerPid(hostPid);
  if (inner === undefined) return false;
  try {
    const kill = await docker.getContainer(container).exec({ Cmd: ['kill', `-${name}`, String(inner)] });
    await kill.start({ Detach: true });
    return true;
  } catch {
    return false;
  }
}

/** Whether the process of this machine with that pid runs in the container (its cgroup path names the container's id). */
function inContainer(hostPid: number, container: string): boolean {
  if (process.platform !== 'linux' || !/^[0-9a-f]{64}$/.test(container)) return false;
  try {
    return readFileSync(`/proc/${hostPid}/cgroup`, 'utf8').includes(container);
  } catch {
    return false;
  }
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
