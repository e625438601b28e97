/**
 * The shared contract client on an in-memory transport: a pair of functions carrying JSON both ways
 * to a real ContractSession (the owner's side), whose handlers and event source are stand-ins.
 * Ids, results checked against the contract, errors rebuilt with their data, a closed transport,
 * pushed messages by kind and the event numbering (a gap, a resubscribe) are what it proves.
 */
import { describe, expect, it } from 'vitest';
import { ContractClient } from '@shared/contract/contract-client';
import { dependentsRunningOf } from '@shared/contract/errors';
import { pushed } from '@shared/contract/pushed';
import type { ServiceStatus, StateEvent } from '@shared/contract/service-state';
import { errorToWire, MAX_ERROR_DATA_CHARS, RemoteError } from '@shared/contract/wire';
import { DependentsRunningError } from '../../../src-main/core/engine-errors';
import { ContractSession, type ContractHandlers, type SessionSources } from '../../../src-main/daemon/contract-session';
import { withRemedy } from '../../../src-main/cli/error-remedies';

const status = (name: string, state: ServiceStatus['state']): ServiceStatus => ({ name, mode: 'binary', state, reason: state, since: 0, restarts: 0 });
const stateEvent = (name: string, state: ServiceStatus['state']): StateEvent => ({ type: 'state', status: status(name, state) });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A client wired to a real session; `emit` is the engine's event source, `sent` what the client sent. */
function connected(handlers: Partial<ContractHandlers>) {
  let emit: (event: StateEvent) => void = () => undefined;
  const sources = {
    engine: { subscribe: (listener: typeof emit) => ((emit = listener), () => (emit = () => undefined)) },
    registry: { watch: () => () => undefined },
  } as unknown as SessionSources;
  const sent: unknown[] = [];
  // Through JSON both ways, as every transport carries it.
  const session = new ContractSession(sources, handlers as ContractHandlers, (message) => client.receive(JSON.parse(JSON.stringify(message))));
  const client = new ContractClient((request) => {
    sent.push(request);
    void session.receive(JSON.parse(JSON.stringify(request)));
  });
  return { client, sent, emit: (event: StateEvent) => emit(event) };
}

/** A client whose answers the test gives by hand. */
function byHand() {
  const sent: { id: number; method: string }[] = [];
  const client = new ContractClient((request) => void sent.push(request));
  return { client, sent };
}

describe('the contract client', () => {
  it('numbers its requests and gives each answer to its own call, whatever their order', async () => {
    const { client, sent } = byHand();
    const hello = client.call('hello');
    const status = client.call('status');
    expect(sent).toEqual([
      { id: 1, method: 'hello', params: {} },
      { id: 2, method: 'status', params: {} },
    ]);
    client.receive({ id: 2, ok: true, result: [] });
    client.receive({ id: 1, ok: true, result: { pid: 7, home: '/h', registry: '/r' } });
    expect(await status).toEqual([]);
    expect(await hello).toEqual({ pid: 7, home: '/h', registry: '/r' });
  });

  it('checks each result against the method and refuses one that does not match, naming the method', async () => {
    const { client } = byHand();
    const hello = client.call('hello');
    client.receive({ id: 1, ok: true, result: { pid: 'seven' } });
    await expect(hello).rejects.toMatchObject({ name: 'ProtocolError', message: expect.stringContaining('the answer to hello does not match') });
  });

  it('rebuilds an engine refusal with its kind, its words and its data, so a face offers its own remedy', async () => {
    const { client } = connected({
      stop: async ({ name }) => {
        throw new DependentsRunningError(name, ['web', 'worker']);
      },
    });
    const refusal = await client.call('stop', { name: 'api' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RemoteError);
    expect(refusal).toMatchObject({
      name: 'DependentsRunningError',
      message: 'cannot stop api: web, worker need it and are running',
      data: { service: 'api', dependents: ['web', 'worker'] },
    });
    expect(dependentsRunningOf(refusal)).toEqual({ service: 'api', dependents: ['web', 'worker'] });
    // The CLI's remedy, from the data; the engine's words name no flag.
    expect(withRemedy(refusal as Error)).toBe('cannot stop api: web, worker need it and are running; --cascade stops them first, --force stops api anyway');
  });

  it('gives a refusal without id to the oldest call waiting', async () => {
    const { client } = byHand();
    const first = client.call('status');
    const second = client.call('hello');
    client.receive({ id: -1, ok: false, error: { name: 'ProtocolError', message: 'a request over 4 MiB was refused' } });
    await expect(first).rejects.toMatchObject({ name: 'ProtocolError', message: 'a request over 4 MiB was refused' });
    client.receive({ id: 2, ok: true, result: { pid: 1, home: '/h', registry: '/r' } });
    expect((await second).pid).toBe(1);
  });

  it('fails every waiting call when the transport closes, and a call its transport cannot send', async () => {
    const { client } = byHand();
    const calls = [client.call('status'), client.call('hello')].map((call) => call.catch((error: Error) => error.message));
    expect(client.waiting).toBe(2);
    client.transportClosed(new Error('the connection to the engine was lost'));
    expect(await Promise.all(calls)).toEqual(['the connection to the engine was lost', 'the connection to the engine was lost']);
    expect(client.waiting).toBe(0);
    const refusing = new ContractClient(() => {
      throw new Error('not connected');
    });
    await expect(refusing.call('status')).rejects.toThrow('not connected');
    expect(refusing.waiting).toBe(0);
  });

  it('routes each kind of pushed message to its listeners and drops malformed ones', () => {
    const { client } = byHand();
    const seen: string[] = [];
    client.onLog(({ service, lines, gap }) => seen.push(`logs ${service} ${lines?.length ?? 0} ${gap ? `${gap.from}-${gap.to}` : ''}`));
    client.onRegistryChanged((changed) => seen.push(`registry ${changed}`));
    client.onPlan(({ operation, plan }) => seen.push(`plan ${operation} ${plan.join(' → ')}`));
    client.receive(pushed.logs({ service: 'api', lines: [{ seq: 1, time: 't', stream: 'out', text: 'hi' }] }));
    client.receive(pushed.logs({ service: 'api', gap: { from: 2, to: 9 } }));
    client.receive(pushed.registryChanged(42));
    client.receive(pushed.plan({ operation: 'start', plan: ['db', 'api'] }));
    client.receive({ logs: { service: 'api', lines: [{ seq: 'x' }] } });
    client.receive({ plan: { operation: 'explode', plan: [] } });
    client.receive({ something: 'else' });
    client.receive('not an object');
    expect(seen).toEqual(['logs api 1 ', 'logs api 0 2-9', 'registry 42', 'plan start db → api']);
  });

  it('gives events in turn; an event out of turn is a gap, and nothing more until a new subscription numbers them again', async () => {
    const { client } = byHand();
    const seen: string[] = [];
    client.onEvent((event, seq) => seen.push(`${seq} ${event.status.name} ${event.status.state}`));
    client.onGap(() => seen.push('gap'));
    void client.call('subscribe').catch(() => undefined);
    const event = (seq: number, state: ServiceStatus['state']) => client.receive(pushed.event(seq, stateEvent('api', state)));
    event(1, 'starting');
    event(2, 'healthy');
    event(4, 'unhealthy');
    event(5, 'healthy');
    expect(seen).toEqual(['1 api starting', '2 api healthy', 'gap']);
    // Subscribing again: what the old subscription still had in flight is stale; the new one begins at 1.
    void client.call('subscribe').catch(() => undefined);
    event(6, 'failed');
    event(1, 'healthy');
    event(2, 'stopping');
    expect(seen.slice(3)).toEqual(['1 api healthy', '2 api stopping']);
  });

  it("numbers the events of a real session's subscription from its snapshot", async () => {
    const { client, emit } = connected({ subscribe: async () => ({ seq: 0 as const, services: [status('api', 'stopped')] }) });
    const seen: string[] = [];
    client.onEvent((event, seq) => seen.push(`${seq} ${event.status.state}`));
    client.onGap(() => seen.push('gap'));
    expect((await client.call('subscribe')).services.map((s) => s.state)).toEqual(['stopped']);
    emit(stateEvent('api', 'starting'));
    emit(stateEvent('api', 'healthy'));
    await settle();
    expect(seen).toEqual(['1 starting', '2 healthy']);
  });

  it('sends error data only as JSON within its bound', () => {
    const withData = (data: unknown) => Object.assign(new Error('refused'), { name: 'SomeError', data });
    expect(errorToWire(withData({ dependents: ['a'] }))).toEqual({ name: 'SomeError', message: 'refused', data: { dependents: ['a'] } });
    expect(errorToWire(withData('x'.repeat(MAX_ERROR_DATA_CHARS)))).toEqual({ name: 'SomeError', message: 'refused' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorToWire(withData(cyclic))).toEqual({ name: 'SomeError', message: 'refused' });
    expect(errorToWire('plain text')).toEqual({ name: 'Error', message: 'plain text' });
  });
});
