/**
 * A face's connection to the engine that owns supervision: typed calls over the local socket, and
 * the event stream. `connectToOwner` starts the headless daemon when nobody owns the home yet, and
 * says at once when the daemon it started died before answering.
 *
 * Every call has a liveness deadline, not a length limit: while a call waits (a `platform start` may
 * take minutes) the client asks `hello` whenever the owner has been quiet for a while, and gives up
 * — naming the owner's pid — once it has heard nothing at all for the deadline.
 *
 * The contract itself (ids, errors rebuilt, pushed messages by kind) is the shared contract client,
 * here without the schemas: the owner is this user's own process, behind a socket in a folder checked
 * to be private to us before every connect, and a command should not pay for loading them
 * (contract-client-core.ts).
 * This adds the socket, the frame bound and the liveness deadline.
 */
import { lstatSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { readLines } from '../core/read-lines';
import type { RegistrySource } from '../core/registry/discovery-order';
import { ContractClientCore, type CallArgs, type Request } from '@shared/contract/contract-client-core';
import type { LogMessage } from '@shared/contract/logs';
import type { MethodName, Result } from '@shared/contract/methods';
import type { OperationPlan } from '@shared/contract/platform';
import type { StateEvent } from '@shared/contract/service-state';
import { RemoteError } from '@shared/contract/remote-error';
import type { TerminalExitMessage, TerminalMessage } from '@shared/contract/terminal';
import { daemonSocketPath, recordedOwnerPid } from './daemon-paths';
import { MAX_FRAME_BYTES, requestTooLarge } from './frame-limit';

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
  readonly #contract: ContractClientCore;
  readonly #deadlineMs: number;
  #heard = Date.now();
  #watch: NodeJS.Timeout | undefined;
  #pid: number | undefined;
  readonly #onClose = new Set<() => void>();
  readonly #lost = new Set<(error: Error) => void>();

  private constructor(
    private readonly socket: Socket,
    private readonly stateRoot: string,
    options: ClientOptions,
  ) {
    this.#deadlineMs = options.answerDeadlineMs ?? ANSWER_DEADLINE_MS;
    this.#contract = new ContractClientCore((request) => this.#send(request));
    const overLimit = () => this.#fail(new OwnerUnavailableError(`the daemon sent a message over ${MAX_FRAME_BYTES} bytes; run the command again`));
    readLines(socket, (line) => this.#receive(line), { maxLineBytes: MAX_FRAME_BYTES, onOverLimit: overLimit });
    socket.on('close', () => {
      this.#fail(new OwnerUnavailableError('the daemon closed the connection before answering; run the command again to see the state'));
      this.#onClose.forEach((listener) => listener());
    });
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

  onTerminal(listener: (output: TerminalMessage['terminal']) => void): void {
    this.#contract.onTerminal(listener);
  }

  onTerminalExit(listener: (exit: TerminalExitMessage['terminalExit']) => void): void {
    this.#contract.onTerminalExit(listener);
  }

  /** Told once if the connection is lost (the owner went away), with what to say. */
  onLost(listener: (error: Error) => void): void {
    this.#lost.add(listener);
  }

  /** Stops (true) or starts again reading what the owner sends: a receiver that cannot keep up makes the owner wait. */
  hold(held: boolean): void {
    if (held) this.socket.pause();
    else this.socket.resume();
  }

  /** Told once the connection has closed (the owner went away, or this end closed it): a long session's end. */
  onClose(listener: () => void): void {
    this.#onClose.add(listener);
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
    this.#lost.forEach((listener) => listener(error));
    this.#lost.clear();
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
/**
 * The client trusts the owner's answers and sends it a start's env values: the socket must sit in a
 * folder only we can write (no SO_PEERCRED in Node: the kernel's permission check on the folder is
 * the peer check — no one else can put a socket there). A folder another user could write is
 * refused, naming the fix.
 */
function assertPrivateFolder(dir: string): void {
  const stat = lstatSync(dir); // ENOENT: no owner has run here (connectIfRunning says none runs)
  const me = process.getuid?.();
  // Write is what matters: only a user who can write the folder can put a socket of theirs there.
  if (stat.isDirectory() && (me === undefined || stat.uid === me) && (stat.mode & 0o022) === 0) return;
  throw new OwnerUnavailableError(
    `${dir} is not a folder only you can write (${stat.isDirectory() ? `owner uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}` : 'not a folder'}): another user could answer in the owner's place; \`chmod 700 ${dir}\` if it is yours`,
  );
}

/** A connection to the owner's socket, only through a private folder (assertPrivateFolder). */
export function openOwnerSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    assertPrivateFolder(dirname(path)); // a throw here rejects
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
  /** `overrides`: given when the registry is the same and only the `--override` files differ. */
  constructor(owner: Result<'hello'>, wanted: string, overrides?: readonly string[]) {
    // One owner per home: another registry is chosen by a registry flag for this one, or by another home beside it.
    const list = (files: readonly string[] | undefined) => (files?.length ? files.map((file) => `--override ${file}`).join(' ') : 'no --override');
    super(
      overrides
        ? [
            `the daemon (pid ${owner.pid}) of ${owner.home} runs ${owner.registry} with ${list(owner.overrides)}, not ${list(overrides)}. Choose one:`,
            `  the same --override files as the daemon's;`,
            `  \`provisioning daemon stop\`, then the command again, to switch this home to these overrides (services keep running).`,
          ].join('\n')
        : [
            `the daemon (pid ${owner.pid}) of ${owner.home} supervises ${owner.registry}, not ${wanted}. Choose one:`,
            `  --config ${owner.registry} (or PROVISIONING_CONFIG=${owner.registry}) to use the registry it runs;`,
            `  PROVISIONING_HOME=<another folder> to run ${wanted} beside it, in a home of its own;`,
            `  \`provisioning daemon stop\`, then the command again, to switch this home to ${wanted} (services keep running).`,
          ].join('\n'),
    );
    this.name = 'OwnerMismatchError';
  }
}

export interface OwnerTarget {
  readonly home: string;
  readonly registryPath: string;
  /** How this client found that file (discovery-order.ts): the daemon it starts says so in its hello. */
  readonly registrySource?: RegistrySource;
  /** `--override` files (absolute), in order. */
  readonly overrides?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The CLI entry that runs `daemon`. */
  readonly cli: string;
}

/** Connects to the owner of the home, starting the daemon when there is none. */
export async function connectToOwner(target: OwnerTarget, timeoutMs = 10_000): Promise<OwnerClient> {
  const socketPath = daemonSocketPath(target.home);
  const options = { answerDeadlineMs: answerDeadline(target.env) };
  const client =
    (await OwnerClient.connectIfRunning(socketPath, options)) ?? (await (await import('./daemon-start')).startAndConnect(target, options, timeoutMs));
  const owner = await client.call('hello');
  if (owner.registry !== target.registryPath) {
    client.close();
    throw new OwnerMismatchError(owner, target.registryPath);
  }
  if ((owner.overrides ?? []).join('\0') !== (target.overrides ?? []).join('\0')) {
    client.close();
    throw new OwnerMismatchError(owner, target.registryPath, target.overrides ?? []);
  }
  return client;
}
