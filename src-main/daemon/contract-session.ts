/**
 * One face's session with the engine, whatever carries it (the local socket, Electron IPC): checks
 * each request against the contract, answers it (errors as data), streams numbered state events
 * after a snapshot, and owns the platform operations it started — closing it cancels them, and ends
 * the run it holds services for (`provisioning run`), as `runStop` would.
 */
import { methods, type MethodName, type CheckedParams, type Result } from '@shared/contract/methods';
import { pushed, type PushedMessage } from '@shared/contract/pushed';
import { errorToWire, requestSchema, type Response } from '@shared/contract/wire';
import type { OperationPlan } from '@shared/contract/platform';
import { isRunning, type ServiceStatus } from '@shared/contract/service-state';
import { isTrouble } from '@shared/contract/state-meaning';
import { whyOf } from '@shared/contract/why';
import { buildGraph, findCycles } from '@shared/graph';
import type { Registry } from '@shared/model';
import { EngineError } from '../core/engine-errors';
import { logFiles } from '../core/logs/log-files';
import { withLabelled } from '../core/platform/labelled-services';
import { stopPortHolder } from '../core/preflight/port-holder-stop';
import { tailBefore, tailLog } from '../core/logs/log-reader';
import { graphOf, type RegistryFile } from '../core/registry/registry-file';
import type { Engine } from '../core/engine';
import type { SettingsStore } from '../core/settings-store';
import { stateDirs } from '../core/state/state-store';
import { streamLog } from './log-stream';
import { readRegistryChange, RegistryConfirmations } from './registry-confirmation';
import type { RunHolds } from './run-holds';
import { watchHandler } from './watch-handler';
import { SessionTerminals } from './session-terminals';
import { refuseWebTerminalsChange, terminalHandlers } from './terminal-handlers';
import type { SessionFace } from '@shared/contract/terminal';

type Operations = Set<AbortController>;

/** What a handler may use of the session it serves. */
export interface SessionContext {
  /** Its platform operations under way, cancelled with it. */
  readonly operations: Operations;
  /** Its log follows, by service. */
  readonly follows: Map<string, AbortController>;
  /** The registry confirmations issued to it: only it can redeem them. */
  readonly confirmations: RegistryConfirmations;
  /** The services it holds for a run (`runStart` until `runStop`): empty when it holds none. */
  readonly held: Set<string>;
  /** Which face it serves (the web host says `web`, once, for each browser connection; IPC is the desktop's; else the CLI). */
  readonly face: { now: SessionFace; declared: boolean };
  /** Its open terminals, ended with it. */
  readonly terminals: SessionTerminals;
  push(message: PushedMessage): void;
  /** Bytes its transport still holds. */
  buffered(): number;
}

export type ContractHandlers = { [M in MethodName]: (params: CheckedParams<M>, session: SessionContext) => Promise<Result<M>> };

export interface OwnerFacts {
  readonly hello: Result<'hello'>;
  /** Ends supervision (the daemon exits; the desktop app keeps its own engine). */
  readonly shutdown: () => void;
  /** The registry file the engine runs from. */
  readonly registry: RegistryFile;
  readonly settings: SettingsStore;
  /**
   * What `provisioning run` sessions hold: one table for every handler set of this owner (the local
   * socket's, the desktop window's), since a run's end must see what all the others hold.
   */
  readonly runs: RunHolds;
}

/** What a session streams to its face once it subscribes. */
export interface SessionSources {
  readonly engine: Pick<Engine, 'subscribe'>;
  readonly registry: Pick<RegistryFile, 'watch'>;
}

export function contractHandlers(engine: Engine, owner: OwnerFacts): ContractHandlers {
  const logsOf = (name: string) => {
    if (!engine.status().some((s) => s.name === name)) throw new EngineError(`unknown service '${name}'`);
    return logFiles(stateDirs(engine.home).logs, name);
  };
  const statusOf = (statuses: ServiceStatus[]) => (name: string) => statuses.find((s) => s.name === name);
  return {
    hello: async () => owner.hello,
    status: async () => engine.status(),
    // `env`: the client's values of env references, kept in memory only (given-environments.ts).
    // Operations tell their plan to the connection that asked, before they act (a face shows it).
    start: ({ name, env, noDeps }, session) => {
      // Asked for by name: a person's now, not a run's to stop at its end.
      owner.runs.claim([name]);
      return cancellable(session.operations, (signal) => engine.start(name, { env, noDeps, signal, onPlan: planTo(session) }));
    },
    stop: ({ name, force }) => engine.stop(name, { dependents: force ? 'ignore' : 'refuse' }),
    restart: ({ name, env }) => engine.restart(name, { env }),
    rebuild: ({ name, env }) => engine.rebuild(name, { env }),
    // Labels are read against the registry that runs (--label, a face's Start group).
    platformStart: ({ names, labels, env }, session) => {
      const all = withLabelled(engine.registry, names, labels);
      owner.runs.claim(all);
      return cancellable(session.operations, (signal) => engine.platformStart(all, { signal, env, onPlan: planTo(session) }));
    },
    platformStop: ({ names, labels }, session) => {
      const all = withLabelled(engine.registry, names, labels);
      return cancellable(session.operations, (signal) => engine.platformStop(all, { signal, onPlan: planTo(session) }));
    },
    platformRestart: ({ names, labels, env }, session) => {
      const all = withLabelled(engine.registry, names, labels);
      return cancellable(session.operations, (signal) => engine.platformRestart(all, { signal, env, onPlan: planTo(session) }));
    },
    ensure: ({ operation, autoStart, env }, session) =>
      cancellable(session.operations, (signal) => engine.ensure(operation, { autoStart, env, signal, onPlan: planTo(session) })),
    runStart: async ({ names, operation, env }, session) => {
      // An unknown operation is refused here with a suggestion, as `ensure` refuses it.
      const required = operation === undefined ? [] : (await engine.ensure(operation)).required;
      let started: string[] = [];
      const start = await cancellable(session.operations, (signal) =>
        engine.platformStart([...new Set([...names, ...required])], {
          signal,
          env,
          // Told before anything of it is launched: held from then on, judged by the states before it.
          onPlan: (plan) => {
            started = owner.runs.hold(session.held, plan.plan, statusOf(engine.status()));
            planTo(session)(plan);
          },
        }),
      );
      return { start, started };
    },
    runStop: async (_, session) => {
      const { stop, kept } = owner.runs.release(session.held, buildGraph(engine.registry.services), statusOf(engine.status()));
      // Not the session's to cancel: a run killed while it cleans up is still cleaned up.
      const report = stop.length > 0 ? await engine.platformStop(stop, { dependents: false }) : undefined;
      return { ...(report ? { stop: report } : {}), kept };
    },
    logTail: async ({ name, lines, before }) => (before === undefined ? tailLog(logsOf(name), lines) : tailBefore(logsOf(name), lines, before)),
    logFollow: async ({ name, afterSeq, maxLinesPerSecond }, session) => {
      session.follows.get(name)?.abort();
      const follow = new AbortController();
      session.follows.set(name, follow);
      void streamLog({
        service: name,
        files: logsOf(name),
        afterSeq,
        maxLinesPerSecond,
        signal: follow.signal,
        push: (message) => session.push(message),
        buffered: () => session.buffered(),
      });
      return {};
    },
    logUnfollow: async ({ name }, { follows }) => {
      follows.get(name)?.abort();
      follows.delete(name);
      return {};
    },
    cancel: async (_, { operations }) => {
      operations.forEach((operation) => operation.abort());
      return { cancelled: operations.size };
    },
    lastStart: async () => (await engine.lastStart()) ?? null,
    update: async ({ env }) => engine.update(await owner.registry.readValid(), { env }),
    updatePlan: async () => {
      const { registry, issues } = await owner.registry.checked();
      // Not valid: the update would refuse it, so it would change nothing.
      if (!registry) return { added: [], removed: [], changed: [], stop: [], restart: [], issues };
      return { ...(await engine.updatePlan(registry)), issues };
    },
    registryLines: ({ file, line, context }) => owner.registry.linesAround(file, line, context),
    graph: () => owner.registry.graph(),
    definitions: () => owner.registry.definitions(),
    validateRegistry: async ({ text }) => owner.registry.validate(text),
    editDependency: async (edit) => {
      const edited = await owner.registry.editDependency(edit);
      // Made from the registry that runs when the update's turn comes, not the one running now.
      await engine.update((running) => withDependencies(running, edited.registry, edit.service));
      return { ...graphOf(owner.registry.displayPath, edited), ...(edited.written ? { written: edited.written } : {}) };
    },
    settings: () => owner.settings.read(),
    updateSettings: async ({ confirmRegistry, ...patch }, session) => {
      const { confirmations } = session;
      refuseWebTerminalsChange(session, patch.webTerminals, (await owner.settings.read()).webTerminals);
      // A different registry is different commands: a file that would not load is refused now, with
      // its located errors; one that would is applied only with the code this session was issued
      // for exactly that text (registry-confirmation.ts), and stored as its real path.
      if (patch.registryPath !== undefined && patch.registryPath !== (await owner.settings.read()).registryPath) {
        const change = await readRegistryChange(patch.registryPath, owner.hello.home);
        if (!confirmations.redeem(confirmRegistry, change)) return { ...(await owner.settings.read()), confirmation: confirmations.issue(change) };
        return owner.settings.update({ ...patch, registryPath: change.shown.registryPath });
      }
      return owner.settings.update(patch);
    },
    readiness: ({ env }) => engine.readiness({ env }),
    // Checked again here, whatever the face offered: the registry that runs names the ports that may be freed.
    stopPortHolder: (holder) => stopPortHolder(holder, { services: engine.registry.services }),
    events: async ({ service, sinceSeq, limit }) => engine.events({ ...(service ? { service } : {}), sinceSeq, limit }),
    why: async ({ name, env }) => {
      const statuses = new Map(engine.status().map((s) => [s.name, s]));
      const status = statuses.get(name);
      if (!status) throw new EngineError(`unknown service '${name}'`);
      // The owner's view of the file, as `services why` takes it (what runs, while the file is not valid).
      const services = (await owner.registry.graph()).services ?? engine.registry.services;
      const readiness = isRunning(status) ? undefined : (await engine.readiness({ env })).find((r) => r.name === name);
      const lastStart = await engine.lastStart();
      const report = whyOf({ name, services, statuses, ...(readiness ? { readiness } : {}), ...(lastStart ? { lastStart } : {}) });
      // A crash's last words are in its log: a status quotes them only for a failed start.
      const faulty = report.roots[0] ?? name;
      if (report.logTail.length > 0 || !isTrouble(statuses.get(faulty)!.state)) return report;
      return { ...report, logTail: await failingTail(logsOf(faulty)) };
    },
    warnings: async () => [...engine.warnings],
    history: async ({ name }) => [...engine.healthHistory(name)],
    serviceSource: async ({ name }) => ({ blocks: await owner.registry.serviceSource(name), logFile: logsOf(name).current }),
    healthHistories: async ({ last }) =>
      Object.fromEntries(
        engine.status().map(({ name }) => [
          name,
          engine
            .healthHistory(name)
            .slice(-last)
            .map(({ ok, latencyMs, at }) => ({ ok, latencyMs, at })),
        ]),
      ),
    usageHistories: async ({ last }) => engine.usageHistories(last),
    watch: watchHandler(engine),
    // The snapshot is taken in the same turn as the subscription (ContractSession.receive).
    subscribe: async () => ({ seq: 0 as const, services: engine.status() }),
    shutdown: async () => {
      setImmediate(owner.shutdown);
      return {};
    },
    ...terminalHandlers(engine, owner.settings),
  };
}

/**
 * The running registry with one service's dependencies as the edited file has them — and nothing
 * else of the file, whose other changes wait for `update`. Undefined when the running registry
 * cannot take them (the service or a dependency is not running there yet, or they would close a cycle
 * with what runs); the file then holds the edit until the next update.
 */
function withDependencies(running: Registry, edited: Registry, service: string): Registry | undefined {
  const dependencies = edited.services.find((s) => s.name === service)?.dependencies ?? [];
  const known = new Set(running.services.map((s) => s.name));
  if (!known.has(service) || !dependencies.every((d) => known.has(d))) return undefined;
  const services = running.services.map((s) => (s.name === service ? { ...s, dependencies: [...dependencies] } : s));
  return findCycles(buildGraph(services)).length === 0 ? { services } : undefined;
}

export class ContractSession {
  readonly #context: SessionContext;
  #unsubscribe = () => {};

  constructor(
    private readonly sources: SessionSources,
    private readonly handlers: ContractHandlers,
    private readonly send: (message: unknown) => void,
    buffered: () => number = () => 0,
    face: SessionFace = 'cli',
  ) {
    this.#context = {
      operations: new Set(),
      follows: new Map(),
      confirmations: new RegistryConfirmations(),
      held: new Set(),
      face: { now: face, declared: face !== 'cli' },
      terminals: new SessionTerminals(send, buffered),
      push: send,
      buffered,
    };
  }

  /** One request as received (already parsed from JSON, or undefined when it was not JSON). */
  async receive(message: unknown): Promise<void> {
    const request = requestSchema.safeParse(message);
    if (!request.success) return this.send({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'malformed request' } });
    const { id, method, params } = request.data;
    if (method === 'subscribe') {
      // No await between this and the snapshot below: no event falls between the two.
      this.#unsubscribe();
      let seq = 0;
      const events = this.sources.engine.subscribe((event) => this.send(pushed.event(++seq, event)));
      const registry = this.sources.registry.watch(() => this.send(pushed.registryChanged(Date.now())));
      this.#unsubscribe = () => {
        events();
        registry();
      };
    }
    this.send(await this.#dispatch(id, method, params));
  }

  close(): void {
    this.#context.operations.forEach((operation) => operation.abort());
    this.#context.follows.forEach((follow) => follow.abort());
    this.#context.terminals.end();
    this.#unsubscribe();
    // A run that ended without saying so (killed, its connection lost) is cleaned up all the same.
    if (this.#context.held.size > 0) void this.handlers.runStop({}, this.#context).catch(() => undefined);
  }

  async #dispatch(id: number, method: string, params: unknown): Promise<Response> {
    if (!(method in methods)) return { id, ok: false, error: { name: 'ProtocolError', message: `unknown method '${method}'` } };
    const name = method as MethodName;
    const parsed = methods[name].params.safeParse(params ?? {});
    if (!parsed.success) return { id, ok: false, error: { name: 'ProtocolError', message: `bad params for ${method}` } };
    try {
      const handler = this.handlers[name] as (params: unknown, session: SessionContext) => Promise<unknown>;
      return { id, ok: true, result: await handler(parsed.data, this.#context) };
    } catch (error) {
      return { id, ok: false, error: errorToWire(error) };
    }
  }
}

/** Lines the service's last run wrote, not the manager's: the ten last of them. */
async function failingTail(files: ReturnType<typeof logFiles>): Promise<string[]> {
  const lines = await tailLog(files, 60).catch(() => []);
  return lines
    .filter((line) => line.stream !== 'evt')
    .slice(-10)
    .map((line) => line.text);
}

const planTo = (session: SessionContext) => (plan: OperationPlan) => session.push(pushed.plan(plan));

async function cancellable<T>(operations: Operations, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  operations.add(controller);
  try {
    return await operation(controller.signal);
  } finally {
    operations.delete(controller);
  }
}
