/**
 * A registry file opened from the window in the system's default application (a located issue's
 * "Open in editor"): the renderer names the file as an issue names it, and the main process opens
 * it only for our renderer's frame and only if it is the registry itself, one of its override files
 * or an env file they read (RegistryFile.fileOf) — never any other path the renderer could name.
 */
import type { IpcEventLike, IpcMainLike } from './ipc-bridge';

export const OPEN_FILE_CHANNEL = 'provisioning:open-file';

/**
 * Serves the channel; returns how to stop. `fileOf`: the registry's file on disk that a shown name
 * names, if any; `open`: shell.openPath (it answers an error message, empty when it opened).
 */
export function bridgeOpenFile(
  ipc: IpcMainLike,
  trusted: (url: string) => boolean,
  fileOf: (file: string) => Promise<string | undefined>,
  open: (path: string) => Promise<string>,
  warn: (text: string) => void,
): () => void {
  ipc.on(OPEN_FILE_CHANNEL, (event: IpcEventLike, file: unknown) => {
    const frame = event.senderFrame?.url ?? '';
    if (!trusted(frame)) return warn(`refused to open a file for an untrusted frame: ${frame || 'unknown'}`);
    if (typeof file !== 'string' || file.length === 0 || file.length > 4096) return warn('refused to open a file: no file named');
    void fileOf(file)
      .then(async (path) => {
        if (!path) return warn(`refused to open ${file}: not a file of this registry`);
        const problem = await open(path);
        if (problem) warn(`could not open ${path}: ${problem}`);
      })
      .catch((error: Error) => warn(`could not open ${file}: ${error.message}`));
  });
  return () => ipc.removeAllListeners(OPEN_FILE_CHANNEL);
}
