/**
 * node-pty, loaded only when a terminal opens: a native module, so a build for another Node (or
 * Electron) ABI, or a missing one, fails here — and the terminal's open says what to do, while
 * everything else of the owner goes on without it.
 */
import type * as NodePty from 'node-pty';
import { EngineError } from '../engine-errors';

let loading: Promise<typeof NodePty> | undefined;

export function loadNodePty(): Promise<typeof NodePty> {
  loading ??= import('node-pty').then(
    (module) => ((module as { default?: typeof NodePty }).default ?? module) as typeof NodePty,
    (error: Error) => {
      // Tried again by the next open: a rebuild meanwhile should not need an owner restart.
      loading = undefined;
      throw new EngineError(
        `terminals need node-pty, which could not be loaded (${error.message.split('\n')[0]}): run \`npm rebuild node-pty\` in the provisioning folder ` +
          '(the desktop app: `npx electron-rebuild -w node-pty`), then open the terminal again; pipes (`services exec <name> -- cmd` with stdin not a terminal) work without it',
      );
    },
  );
  return loading;
}
