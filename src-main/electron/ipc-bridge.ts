/**
 * The contract over Electron IPC: each window is a ContractSession. Requests arrive on one channel,
 * answers and numbered events leave on another. A message from any frame but our renderer's is
 * dropped: a navigated or injected frame gets nothing; a reload or navigation of the page ends its
 * session (its terminals) as the window's end does. Messages are bounded both ways as on the
 * local socket (MAX_FRAME_BYTES, measured as JSON), and the CLI's own methods are refused (cli-only.ts).
 * Written against the few members of ipcMain and WebContents it uses, so it is tested with a double of them.
 */
import { cliOnlyRefusal } from '@shared/contract/cli-only';
import { withoutClientEnv } from '@shared/contract/client-env';
import { ContractSession, type ContractHandlers, type SessionSources } from '../daemon/contract-session';
import { boundedFrame, MAX_FRAME_BYTES, requestTooLarge } from '../daemon/frame-limit';

export const CHANNELS = { request: 'provisioning:request', message: 'provisioning:message' } as const;

export interface IpcSender {
  readonly id: number;
  send(channel: string, message: unknown): void;
  once(event: 'destroyed', listener: () => void): unknown;
  /** A page's navigation and its renderer's end (a WebContents has it; a double of a page that never navigates may not). */
  on?(event: 'did-start-navigation', listener: (details: { readonly isMainFrame: boolean; readonly isSameDocument: boolean }) => void): unknown;
  on?(event: 'render-process-gone', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: IpcSender;
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, message: unknown) => void): unknown;
  removeAllListeners(channel: string): unknown;
}

/** Serves the contract to trusted frames; returns how to stop. */
export function bridgeContract(
  ipc: IpcMainLike,
  sources: SessionSources,
  handlers: ContractHandlers,
  trusted: (url: string) => boolean,
  warn: (text: string) => void,
): () => void {
  const sessions = new Map<number, ContractSession>();
  const watched = new Set<number>();
  const end = (id: number) => {
    sessions.get(id)?.close();
    sessions.delete(id);
  };
  /**
   * A window's session ends with its page, not only with the window: a reload or navigation keeps
   * the sender, and what the old page had open (terminals, follows) must not outlive it. Once per
   * sender, so reloads add no listeners; the next page's first request starts a new session.
   */
  const watch = (sender: IpcSender) => {
    if (watched.has(sender.id)) return;
    watched.add(sender.id);
    sender.once('destroyed', () => {
      end(sender.id);
      watched.delete(sender.id);
    });
    sender.on?.('did-start-navigation', (details) => void (details.isMainFrame && !details.isSameDocument && end(sender.id)));
    sender.on?.('render-process-gone', () => end(sender.id));
  };
  ipc.on(CHANNELS.request, (event, message) => {
    const url = event.senderFrame?.url ?? '';
    if (!trusted(url)) return warn(`refused a contract message from an untrusted frame: ${url || 'unknown'}`);
    let session = sessions.get(event.sender.id);
    if (!session) {
      const created = new ContractSession(
        sources,
        handlers,
        (reply) => {
          const frame = boundedFrame(reply);
          if (frame) event.sender.send(CHANNELS.message, frame.message);
        },
        // IPC tells nothing of what the window has yet to take: a terminal's output is not held back for it.
        () => 0,
        'desktop',
      );
      sessions.set(event.sender.id, created);
      watch(event.sender);
      session = created;
    }
    const size = jsonSize(message);
    const refusal = cliOnlyRefusal(message);
    if (size !== undefined && size > MAX_FRAME_BYTES) event.sender.send(CHANNELS.message, requestTooLarge);
    // `provisioning run` holds services for its connection: the window must not (cli-only.ts).
    else if (refusal) event.sender.send(CHANNELS.message, refusal);
    // What JSON cannot carry (a cycle, a BigInt) is answered as malformed, as on the socket.
    // The renderer never chooses env values: the engine reads the app's own (its clientEnv).
    else void session.receive(size === undefined ? undefined : withoutClientEnv(message));
  });
  return () => {
    ipc.removeAllListeners(CHANNELS.request);
    sessions.forEach((session) => session.close());
    sessions.clear();
  };
}

/** Bytes of the message as JSON — what the socket would carry — or undefined when it is not JSON. */
function jsonSize(message: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(message) ?? '');
  } catch {
    return undefined;
  }
}
