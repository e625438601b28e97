/**
 * The one client of the contract, whatever carries it: every face (the desktop window over Electron
 * IPC, the browser over the web host's WebSocket, the tests) wraps this in a thin transport adapter
 * that sends its requests and hands it what arrives. The CLI, which trusts its owner, uses the same
 * client without the schemas (contract-client-core.ts).
 *
 * It numbers requests, keeps the calls waiting for answers, checks each result against the
 * method's schema, rebuilds errors (kind and data: RemoteError), and routes pushed messages by
 * kind, each checked against its kind's schema. State events are given only in turn: after a
 * `subscribe` is sent, events are taken from the new numbering's seq 1 (what the old subscription
 * still had in flight is stale); an event out of turn is a gap — its listeners are told, and no
 * event is given until the next numbering begins.
 */
import { ContractClientCore, type ContractChecks, type Request } from './contract-client-core';
import { methods } from './methods';
import { routePushed } from './pushed';

export type { CallArgs, ContractApi } from './contract-client-core';

/** Results and pushed messages checked against this version's contract. */
const schemaChecks: ContractChecks = {
  result: (method, value) => {
    const checked = methods[method].result.safeParse(value);
    return checked.success ? { ok: true, value: checked.data } : { ok: false, problem: checked.error.issues[0]?.message ?? 'invalid' };
  },
  pushed: (message, handlers) => void routePushed(message, handlers),
};

export class ContractClient extends ContractClientCore {
  constructor(send: (request: Request) => void) {
    super(send, schemaChecks);
  }
}
