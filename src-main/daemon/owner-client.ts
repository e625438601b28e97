/**
 * A face's connection to the engine that owns supervision: typed calls over the local socket, and
 * the event stream. `connectToOwner` starts the headless daemon when nobody owns the home yet, and
 * says at once when the daemon it started died before answering.
 *
 * Every call has a liveness deadline, not a length limit: while a call waits (a `platform start` may
 * take minutes) the client asks `hello` whenever the owner has been quiet for a while, and gives up
 * — naming the owner's pid — once it has heard nothing at all for the deadline.
 *
 * The contract itself (ids, answers checked and errors rebuilt, pushed messages by kind) is the
 * shared ContractClient; this adds the socket, the frame bound and the liveness deadline.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { readLines } from '../core/read-lines';
import { ownerEnvironment } from '../core/drivers/base-environment';
import { ContractClient, type CallArgs } from '@shared/contract/contract-client';
import type { LogMessage } from '@shared/contract/logs';
import type { MethodName, Result } from '@shared/contract/methods';
import type { OperationPlan } from '@shared/contract/platform';
import type { StateEvent } from '@shared/contract/service-state';
import { RemoteError, type Request } from '@shared/contract/wire';
import { daemonLogPath, daemonSocketPath, privateStateRoot, recordedOwnerPid } from './daemon-paths';
import { MAX_FRAME_BYTES, requestTooLarge } from './frame-limit';
import { listenerAt, lockHolderAnswers, ownerLockPath } from './owner-lock';

/** How long a silent owner is waited for, unless PROVISIONING_ANSWER_TIMEOUT_MS says otherwise. */
export const ANSWER_DEADLINE_MS = 10_000;

export function answerDeadline(env: Readonly<Record<string, string | undefined>>): number {
  const given = Number(env['PROVISIONING_ANSWER_TIMEOUT_MS']);
  return Number.isFinite(given) && given > 0 ? given : ANSWER_DEADLINE_MS;
}

export interface ClientOptions {
  readonly answerDeadlineMs?: number;
}

export class OwnerClient {
  readonly #contract: ContractClient;
  readonly #deadlineMs: number;
  #heard = Date.now();
  #watch: NodeJS.Timeout | undefined;
  #pid: number | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly stateRoot: string,
    options: ClientOptions,
  ) {
    this.#deadlineMs = options.answerDeadlineMs ?? ANSWER_DEADLINE_MS;
    this.#contract = new ContractClient((request) => this.#send(request));
    const overLimit = () => this.#fail(new OwnerUnavailableError(`the daemon sent a message over ${MAX_FRAME_BYTES} bytes; run the command again`));
    readLines(socket, (line) => this.#receive(line), { maxLineBytes: MAX_FRAME_BYTES, onOverLimit: overLimit });
    socket.on('close', () =>
      this.#fail(new OwnerUnavailableError('the daemon closed the connection before answering; run the command again to see the state')),
    );
  }

  static async connect(path: string, options: ClientOptions = {}): Promise<OwnerClient> {
    return new OwnerClient(await openOwnerSocket(path), dirname(path), options);
  }

  /** A client of the owner listening at `path`; undefined when none does (no socket, or a dead owner's). */
  static async connectIfRunning(path: string, options: ClientOptions = {}): Promise<OwnerClient | undefined> {
    try {
      return await OwnerClient.connect(path, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ECONNREFUSED') return undefined;
      // Its backlog is full: an owner is there but does not take connections.
      if (code === 'EAGAIN') throw new OwnerNotAnsweringError(recordedOwnerPid(dirname(path)), 'does not accept connections');
      throw error;
    }
  }

  async call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<Result<M>> {
    const answer = this.#contract.call(method, ...args);
    this.#watchLiveness();
    const result = await answer;
    if (method === 'hello') this.#pid = (result as Result<'hello'>).pid;
    return result;
  }

  onEvent(listener: (event: StateEvent, seq: number) => void): void {
    this.#contract.onEvent(listener);
  }

  onLog(listener: (logs: LogMessage['logs']) => void): void {
    this.#contract.onLog(listener);
  }

  onRegistryChanged(listener: (changed: number) => void): void {
    this.#contract.onRegistryChanged(listener);
  }

  onPlan(listener: (plan: OperationPlan) => void): void {
    this.#contract.onPlan(listener);
  }

  close(): void {
    this.#stopWatching();
    this.socket.end();
  }

  #send(request: Request): void {
    const line = `${JSON.stringify(request)}\n`;
    // The owner would refuse it unanswerable (id -1): refused here, as this call's own error.
    if (Buffer.byteLength(line) > MAX_FRAME_BYTES) throw new RemoteError(requestTooLarge.error);
    if (!this.socket.writable) throw new OwnerUnavailableError('the connection to the daemon is closed; run the command again');
    this.socket.write(line);
  }

  /** While calls wait: a `hello` when the owner has been quiet, and failure once it has been silent for the deadline. */
  #watchLiveness(): void {
    if (this.#watch) return;
    this.#heard = Date.now();
    const probeEvery = this.#deadlineMs / 4;
    let ticked = this.#heard;
    this.#watch = setInterval(() => {
      if (this.#contract.waiting === 0) return this.#stopWatching();
      const now = Date.now();
      // A tick late by more than an interval means this process was not running (Ctrl-Z, suspend,
      // load): the owner's silence meanwhile says nothing about it, so it is asked afresh.
      const late = now - ticked > 2 * probeEvery;
      ticked = now;
      if (late) this.#heard = now;
      const silent = now - this.#heard;
      if (silent >= this.#deadlineMs)
        return this.#fail(new OwnerNotAnsweringError(this.#pid ?? recordedOwnerPid(this.stateRoot), `has not answered for ${Math.round(silent / 1000)}s`));
      // Its answer is not waited for: anything heard counts (and a closed connection fails the calls that wait).
      if (late || silent >= probeEvery) this.#contract.call('hello').catch(() => undefined);
    }, probeEvery);
    this.#watch.unref();
  }

  #stopWatching(): void {
    clearInterval(this.#watch);
    this.#watch = undefined;
  }

  #fail(error: Error): void {
    this.#stopWatching();
    this.#contract.transportClosed(error);
    this.socket.destroy();
  }

  #receive(line: string): void {
    this.#heard = Date.now();
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    this.#contract.receive(message);
  }
}

/** A connected socket to an owner (the raw wire: one JSON message per line), or the connect error. */
export function openOwnerSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => socket.destroy());
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export class OwnerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnerUnavailableError';
  }
}

/** An owner holds the home but does not answer: stopped (SIGSTOP), stuck, or swamped. */
export class OwnerNotAnsweringError extends Error {
  constructor(pid: number | undefined, what: string) {
    const who = pid ? `the daemon (pid ${pid})` : 'the daemon';
    const remedy = pid
      ? `if it was stopped, \`kill -CONT ${pid}\` resumes it; otherwise \`kill ${pid}\` ends it (services keep running) and the next command starts a new one`
      : 'see `provisioning daemon status`';
    super(`${who} ${what}; ${remedy}`);
    this.name = 'OwnerNotAnsweringError';
  }
}

export class OwnerMismatchError extends Error {
  constructor(owner: Result<'hello'>, wanted: string) {
    super(`the daemon (pid ${owner.pid}) supervises ${owner.registry}, not ${wanted}; run \`provisioning daemon stop\` to switch registries`);
    this.name = 'OwnerMismatchError';
  }
}

export interface OwnerTarget {
  readonly home: string;
  readonly registryPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The CLI entry that runs `daemon`. */
  readonly cli: string;
}

/** Connects to the owner of the home, starting the daemon when there is none. */
export async function connectToOwner(target: OwnerTarget, timeoutMs = 10_000): Promise<OwnerClient> {
  const socketPath = daemonSocketPath(target.home);
  const options = { answerDeadlineMs: answerDeadline(target.env) };
  const client = (await OwnerClient.connectIfRunning(socketPath, options)) ?? (await startAndConnect(target, options, timeoutMs));
  const owner = await client.call('hello');
  if (owner.registry !== target.registryPath) {
    client.close();
    throw new OwnerMismatchError(owner, target.registryPath);
  }
  return client;
}

/**
 * Starts a daemon and waits until an owner answers. Several clients may race here; the daemons race
 * for the owner lock and all but one exit cleanly — then the winner is waited for (and when it went
 * away too, another daemon is started). A daemon that dies otherwise fails the call at once, with
 * the end of its log. Past the start deadline, a lock holder that still runs is waited for: adopting
 * what runs comes before it listens.
 */
async function startAndConnect(target: OwnerTarget, options: ClientOptions, timeoutMs: number): Promise<OwnerClient> {
  const stateRoot = privateStateRoot(target.home);
  const socketPath = daemonSocketPath(target.home);
  const log = daemonLogPath(target.home);
  const deadline = Date.now() + timeoutMs;
  let daemon = startDaemon(target, log);
  for (;;) {
    const client = await OwnerClient.connectIfRunning(socketPath, options);
    if (client) return client;
    const exit = daemon.exit();
    if (exit && exit.code !== 0)
      throw new OwnerUnavailableError(`the daemon (pid ${daemon.pid ?? '?'}) ${describeExit(exit)} before it answered; the end of ${log}:\n${endOf(log)}`);
    if (exit && (await listenerAt(ownerLockPath(stateRoot))) !== 'alive') daemon = startDaemon(target, log);
    if (Date.now() > deadline) {
      // A holder of the lock is still adopting (that may wait out stop timeouts): waited for while it runs.
      const running = await lockHolderAnswers(ownerLockPath(stateRoot), options.answerDeadlineMs ?? ANSWER_DEADLINE_MS);
      if (!running && (await listenerAt(ownerLockPath(stateRoot))) === 'alive')
        throw new OwnerNotAnsweringError(recordedOwnerPid(stateRoot), 'holds the home but stopped answering while it started');
      if (!running) throw new OwnerUnavailableError(`the daemon did not start within ${timeoutMs / 1000}s; see ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

function startDaemon(target: OwnerTarget, logPath: string): { pid: number | undefined; exit: () => Exit | undefined } {
  const log = openSync(logPath, 'a', 0o600);
  const daemon = spawn(process.execPath, [target.cli, 'daemon', 'run', '--config', target.registryPath], {
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
