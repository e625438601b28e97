/**
 * The contract's terminal methods (terminal.ts), served to one session: opened through the engine,
 * kept by the session (session-terminals.ts), ended with it. A browser session (the web host says
 * `web` for each connection it relays) is refused while the `webTerminals` setting is off, and
 * its terminals are hung up when the setting is turned off.
 */
import type { CheckedParams, Result } from '@shared/contract/methods';
import { WEB_TERMINALS_OFF } from '@shared/contract/terminal';
import type { Engine } from '../core/engine';
import { EngineError } from '../core/engine-errors';
import type { SettingsStore } from '../core/settings-store';
import type { SessionContext } from './contract-session';

type TerminalMethod = 'terminalOpen' | 'terminalInput' | 'terminalResize' | 'terminalClose' | 'sessionFace';
type Handlers = { [M in TerminalMethod]: (params: CheckedParams<M>, session: SessionContext) => Promise<Result<M>> };

export function terminalHandlers(engine: Pick<Engine, 'terminal'>, settings: SettingsStore): Handlers {
  return {
    terminalOpen: async ({ service, kind, cmd, tty, cols, rows }, session) => {
      const web = session.face.now === 'web';
      const allowed = async () => !web || (await settings.read()).webTerminals;
      if (web) {
        if (!(await allowed())) throw new EngineError(WEB_TERMINALS_OFF);
        // Turned off while open: what the browser has open ends too.
        session.terminals.keep('web-terminals-setting', () => settings.subscribe((now) => (now.webTerminals ? undefined : session.terminals.closeAll())));
      }
      // Asked again once it opened: turned off meanwhile (before the subscription above saw it), it is hung up.
      return session.terminals.open(
        (output) => engine.terminal(service, { kind, tty, cols, rows, face: session.face.now, output, ...(cmd ? { cmd } : {}) }),
        allowed,
      );
    },
    terminalInput: async ({ id, data, end }, { terminals }) => {
      terminals.input(id, Buffer.from(data, 'base64'), end);
      return {};
    },
    terminalResize: async ({ id, cols, rows }, { terminals }) => {
      terminals.resize(id, cols, rows);
      return {};
    },
    terminalClose: async ({ id }, { terminals }) => {
      terminals.close(id);
      return {};
    },
    sessionFace: async ({ face }, session) => {
      if (session.face.declared) throw new EngineError('this connection has already said which face it serves');
      session.face.now = face;
      session.face.declared = true;
      return {};
    },
  };
}

/** The web's terminals setting is a shell for whoever holds the page's token: a web session cannot grant it. */
export function refuseWebTerminalsChange(session: SessionContext, asked: boolean | undefined, now: boolean): void {
  if (session.face.now !== 'web' || asked === undefined || asked === now) return;
  throw new EngineError(
    'terminals in the browser are turned on or off only from the desktop app or the CLI (`provisioning settings web-terminals on|off`), never from the browser',
  );
}
