/**
 * This tab's key to the web host: taken once from the fragment of the URL `provisioning ui` printed
 * (`#token=…`), then kept in sessionStorage — per origin, so per port: two UIs on two ports keep
 * their own keys — and removed from the address bar, so it is not in history or a shared link.
 */
import { fragmentToken } from '@shared/contract/web-session';

const KEY = 'provisioning.token';

export function pageToken(): string | undefined {
  const fromUrl = fragmentToken(window.location.hash);
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** Forgets this tab's key (one the host no longer takes): the tab then asks for the printed URL. */
export function forgetPageToken(): void {
  sessionStorage.removeItem(KEY);
}
