/**
 * Starting the headless daemon for a client that found no owner (owner-client.ts): apart from the
 * connection, so a command whose owner runs loads none of it (the lock, spawning, the daemon's log).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ownerEnvironment } from '../core/drivers/base-environment';
import { daemonLogPath, daemonSocketPath, privateStateRoot, recordedOwnerPid } from './daemon-paths';
import { ANSWER_DEADLINE_MS, OwnerClient, OwnerNotAnsweringError, OwnerUnavailableError, type ClientOptions, type OwnerTarget } from './owner-client';
import { listenerAt, lockHolderAnswers, ownerLockPath } from './owner-lock';

/**
 * Starts a daemon and waits until an owner answers. Several clients may race here: one that finds
 * the lock held (another client's daemon, still adopting) waits for it instead of starting one; the
 * daemons that do race for the lock all but one exit cleanly — then the winner is waited for (and
 * when it went away too, another daemon is started). A daemon that dies otherwise fails the call at
 * once, with the end of its log. Past the start deadline, what still makes progress is waited for:
 * a lock holder that runs (adopting what runs comes before it listens), or the daemon this client
 * started while it runs and nobody holds the lock (a loaded machine: twenty clients racing start
 * twenty processes) — that one up to STARTING_BOUND deadlines.
 */
export async function startAndConnect(target: OwnerTarget, options: ClientOptions, timeoutMs: number): Promise<OwnerClient> {
  const stateRoot = privateStateRoot(target.home);
  const socketPath = daemonSocketPath(target.home);
  const lockPath = ownerLockPath(stateRoot);
  const log = daemonLogPath(target.home);
  const deadline = Date.now() + timeoutMs;
  let daemon = (await listenerAt(lockPath)) === 'alive' ? undefined : startDaemon(target, log);
  for (;;) {
    const client = await OwnerClient.connectIfRunning(socketPath, options);
    if (client) return client;
    const exit = daemon?.exit();
    if (exit && exit.code !== 0)
      throw new OwnerUnavailableError(`the daemon (pid ${daemon?.pid ?? '?'}) ${describeExit(exit)} before it answered; the end of ${log}:\n${endOf(log)}`);
    const held = (await listenerAt(lockPath)) === 'alive';
    if ((!daemon || exit) && !held) daemon = startDaemon(target, log);
    const now = Date.now();
    const oursStarting = daemon && !daemon.exit() && !held;
    if (now > deadline && !(oursStarting && now < deadline + (STARTING_BOUND - 1) * timeoutMs)) {
      // A holder of the lock is still adopting (that may wait out stop timeouts): waited for while it runs.
      const running = held && (await lockHolderAnswers(lockPath, options.answerDeadlineMs ?? ANSWER_DEADLINE_MS));
      if (!running && held) throw new OwnerNotAnsweringError(recordedOwnerPid(stateRoot), 'holds the home but stopped answering while it started');
      if (!running) throw new OwnerUnavailableError(`the daemon did not start within ${Math.round((now - deadline + timeoutMs) / 1000)}s; see ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many start deadlines a daemon this client started may run before it holds the lock. */
const STARTING_BOUND = 6;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

function startDaemon(target: OwnerTarget, logPath: string): { pid: number | undefined; exit: () => Exit | undefined } {
  const log = openSync(logPath, 'a', 0o600);
  const overrides = (target.overrides ?? []).flatMap((file) => ['--override', file]);
  const foundBy = target.registrySource ? ['--found-by', target.registrySource] : [];
  const daemon = spawn(process.execPath, [target.cli, 'daemon', 'run', '--config', target.registryPath, ...foundBy, ...overrides], {
    detached: true,
    stdio: ['ignore', log, log],
    // Only the base and what its tools read (base-environment.ts): no secret of this shell enters it.
    env: { ...ownerEnvironment(target.env), PROVISIONING_HOME: target.home },
  });
  closeSync(log);
  let exit: Exit | undefined;
  daemon.once('exit', (code, signal) => (exit = { code, signal }));
  daemon.once('error', (error) => (exit = { code: null, signal: null, error }));
  daemon.unref();
  return { pid: daemon.pid, exit: () => exit };
}

function describeExit(exit: Exit): string {
  if (exit.error) return `could not be started (${exit.error.message})`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** The last lines of a log, read from its end (bounded whatever its size). */
function endOf(path: string, bytes = 2048, lines = 10): string {
  try {
    const size = statSync(path).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    } finally {
      closeSync(fd);
    }
    const text = buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return text || '(empty)';
  } catch {
    return '(unreadable)';
  }
}
