/**
 * One stream of Docker events for every container we manage (die, oom, health_status): state changes
 * arrive as they happen, without polling. When the engine goes away every watched container hears
 * `unreachable`; the stream is re-opened once the engine answers again, and each container is
 * inspected, since its end may have been missed meanwhile.
 */
import { readLines } from '../../read-lines';
import type Docker from 'dockerode';
import type { ExitReport, RunSignal } from '../driver';

const RECONNECT_MS = 1_000;

export interface ContainerWatch {
  /** Settles when the container has stopped running, with how it ended. */
  readonly exited: Promise<ExitReport>;
  readonly signals: (listener: (signal: RunSignal) => void) => void;
  /** Settles when its own HEALTHCHECK first reports healthy. */
  readonly untilHealthy: Promise<string>;
  /** Told the engine is back (after `unreachable`) and the container still runs: re-attach what follows it. */
  onReconnect(listener: () => void): void;
}

interface Watcher {
  readonly id: string;
  readonly end: (exit: ExitReport) => void;
  readonly signal: (signal: RunSignal) => void;
  readonly reconnected: (() => void)[];
  readonly listeners: ((signal: RunSignal) => void)[];
  oom: boolean;
}

interface DockerEvent {
  readonly id?: string;
  readonly Action?: string;
}

export class DockerEvents {
  readonly #watchers = new Map<string, Watcher>();
  #stream: NodeJS.ReadableStream | undefined;
  #opening: Promise<void> | undefined;
  #reconnecting = false;

  constructor(
    private readonly docker: Docker,
    private readonly describeUnreachable: () => Promise<string>,
  ) {}

  /** Resolves once the stream is open, so nothing that happens after (a start) can be missed. */
  ready(): Promise<void> {
    if (this.#stream) return Promise.resolve();
    this.#opening ??= this.#open().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  watch(id: string): ContainerWatch {
    let end!: (exit: ExitReport) => void;
    const exited = new Promise<ExitReport>((resolve) => (end = resolve));
    let healthy!: (message: string) => void;
    const untilHealthy = new Promise<string>((resolve) => (healthy = resolve));
    const watcher: Watcher = {
      id,
      end: (exit) => {
        this.#watchers.delete(id);
        if (this.#watchers.size === 0) this.#close();
        end(exit);
      },
      signal: (signal) => {
        if (signal.kind === 'engine-health' && signal.status === 'healthy') healthy('its container HEALTHCHECK passes');
        watcher.listeners.forEach((listener) => listener(signal));
      },
      reconnected: [],
      listeners: [],
      oom: false,
    };
    this.#watchers.set(id, watcher);
    return {
      exited,
      untilHealthy,
      signals: (listener) => void watcher.listeners.push(listener),
      onReconnect: (listener) => void watcher.reconnected.push(listener),
    };
  }

  /** Asks the engine whether a watched container still runs, and ends its watch if not. */
  async recheck(id: string): Promise<void> {
    const watcher = this.#watchers.get(id);
    if (watcher) await this.#ended(watcher);
  }

  /** Releases the stream; watches stay pending (their containers keep running for the next manager). */
  close(): void {
    this.#close();
  }

  /** Tells the watchers of containers the engine cannot be asked about now (adopted while it is away). */
  async unreachable(): Promise<string> {
    const reason = await this.describeUnreachable();
    for (const watcher of this.#watchers.values()) watcher.signal({ kind: 'unreachable', reason });
    this.#reconnect();
    return reason;
  }

  async #open(): Promise<void> {
    const stream = (await this.docker.getEvents({
      // Every container's: compose services carry Compose's labels, not ours. Events are few on a dev machine.
      filters: { type: ['container'] },
    })) as NodeJS.ReadableStream;
    this.#stream = stream;
    // The stream alone must not keep a manager from exiting.
    (stream as NodeJS.ReadableStream & { socket?: { unref(): void } }).socket?.unref();
    readLines(stream, (line) => this.#receive(line));
    const lost = () => {
      if (this.#stream !== stream) return;
      this.#stream = undefined;
      if (this.#watchers.size > 0) void this.unreachable();
    };
    stream.on('end', lost);
    stream.on('error', lost);
    stream.on('close', lost);
  }

  #close(): void {
    const stream = this.#stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.#stream = undefined;
    stream?.destroy?.();
  }

  #receive(line: string): void {
    let event: DockerEvent;
    try {
      event = JSON.parse(line) as DockerEvent;
    } catch {
      return;
    }
    const watcher = event.id ? this.#watchers.get(event.id) : undefined;
    if (!watcher || !event.Action) return;
    if (event.Action === 'oom') watcher.oom = true;
    else if (event.Action.startsWith('health_status: ')) watcher.signal({ kind: 'engine-health', status: event.Action.slice('health_status: '.length) });
    else if (event.Action === 'die') void this.#ended(watcher);
  }

  /** How the container ended (if it did) from the engine's record of it; else its HEALTHCHECK verdict. */
  async #ended(watcher: Watcher): Promise<void> {
    try {
      const { State } = await this.docker.getContainer(watcher.id).inspect();
      if (State.Running) {
        if (State.Health?.Status) watcher.signal({ kind: 'engine-health', status: State.Health.Status });
        return;
      }
      const oom = watcher.oom || State.OOMKilled;
      watcher.end({
        code: State.ExitCode,
        signal: null,
        reason: oom ? `killed: out of memory (exit code ${State.ExitCode})` : `exited with code ${State.ExitCode}`,
      });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) watcher.end({ code: null, signal: null, reason: 'its container was removed' });
    }
  }

  #reconnect(): void {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    const attempt = async () => {
      if (this.#watchers.size === 0) return void (this.#reconnecting = false);
      try {
        await this.docker.ping();
        await this.ready();
      } catch {
        setTimeout(() => void attempt(), RECONNECT_MS).unref();
        return;
      }
      this.#reconnecting = false;
      // Ends may have happened while the engine was away: ask about each container.
      for (const watcher of [...this.#watchers.values()]) {
        await this.#ended(watcher);
        if (this.#watchers.get(watcher.id) === watcher) {
          watcher.signal({ kind: 'reachable' });
          watcher.reconnected.forEach((listener) => listener());
        }
      }
    };
    setTimeout(() => void attempt(), RECONNECT_MS).unref();
  }
}
