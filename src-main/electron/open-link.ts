/**
 * A service's link opened from the window: the renderer asks on its own channel, and the system
 * browser opens it — only for our renderer's frame, and only an http or https URL (never `file:`,
 * `javascript:` or a custom scheme a link in a registry could name). The window itself never
 * navigates (main-window.ts). Written against the few members of ipcMain it uses, as the bridge is.
 */
import { isOpenableUrl } from '@shared/contract/links';
import type { IpcEventLike, IpcMainLike } from './ipc-bridge';

export const OPEN_LINK_CHANNEL = 'provisioning:open-link';

/** Serves the channel; returns how to stop. `open`: shell.openExternal. */
export function bridgeOpenLink(
  ipc: IpcMainLike,
  trusted: (url: string) => boolean,
  open: (url: string) => Promise<void>,
  warn: (text: string) => void,
): () => void {
  ipc.on(OPEN_LINK_CHANNEL, (event: IpcEventLike, url: unknown) => {
    const frame = event.senderFrame?.url ?? '';
    if (!trusted(frame)) return warn(`refused to open a link for an untrusted frame: ${frame || 'unknown'}`);
    if (!isOpenableUrl(url)) return warn('refused to open a link that is not an http or https URL');
    open(url).catch((error: Error) => warn(`could not open ${url}: ${error.message}`));
  });
  return () => ipc.removeAllListeners(OPEN_LINK_CHANNEL);
}
