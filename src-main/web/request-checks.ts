/**
 * The web host's checks of what a browser (or anything else on this machine) sends, as pure
 * functions that answer a refusal with its status instead of throwing: any web page can make the
 * browser send odd targets, headers and tokens here, and none of them may crash the host.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { offeredToken, WEB_PROTOCOL } from '@shared/contract/web-session';

export interface Refusal {
  readonly status: 400 | 401 | 403 | 404 | 405 | 421;
  readonly reason: string;
}

/**
 * The names this host answers to: a page served under any other Host came through DNS rebinding.
 * Not `localhost`: browsers try ::1 for it, where another user can bind the same port. On port 80
 * browsers leave the port out.
 */
export function hostNames(port: number): ReadonlySet<string> {
  return new Set(port === 80 ? ['127.0.0.1:80', '127.0.0.1'] : [`127.0.0.1:${port}`]);
}

/** The decoded path of an origin-form target (`/a/b?c`); anything else (absolute-form, `*`, bad escapes) is undefined. */
export function targetPath(target: string | undefined): string | undefined {
  if (!target?.startsWith('/')) return undefined;
  const raw = target.split(/[?#]/, 1)[0]!;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return path.includes('\0') ? undefined : path;
}

/** Every request: an origin-form target and our own Host. */
export function requestRefusal(target: string | undefined, headers: IncomingHttpHeaders, hosts: ReadonlySet<string>): Refusal | undefined {
  if (targetPath(target) === undefined) return { status: 400, reason: 'a malformed request target' };
  if (!hosts.has((headers.host ?? '').toLowerCase()))
    return { status: 421, reason: 'this host answers only to 127.0.0.1 on its own port: open the URL `provisioning ui` printed' };
  return undefined;
}

/** A WebSocket upgrade: also the API path, the Origin of the page we serve (an absent one too is refused), and the token. */
export function upgradeRefusal(target: string | undefined, headers: IncomingHttpHeaders, hosts: ReadonlySet<string>, token: string): Refusal | undefined {
  const refusal = requestRefusal(target, headers, hosts);
  if (refusal) return refusal;
  if (targetPath(target) !== '/api') return { status: 404, reason: 'the contract is at /api' };
  if (headers.origin !== `http://${(headers.host ?? '').toLowerCase()}`) return { status: 403, reason: 'only the page this host serves may connect' };
  const protocols = headers['sec-websocket-protocol'] ?? '';
  if (!protocols.split(',').some((protocol) => protocol.trim() === WEB_PROTOCOL)) return { status: 400, reason: `the subprotocol ${WEB_PROTOCOL} is needed` };
  if (!sameSecret(offeredToken(protocols), token)) return { status: 401, reason: 'a token is needed: open the URL `provisioning ui` printed' };
  return undefined;
}

/** Compared in constant time over bytes (a multibyte string of the token's length must not throw). */
export function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const [a, b] = [Buffer.from(given, 'utf8'), Buffer.from(secret, 'utf8')];
  return a.length === b.length && timingSafeEqual(a, b);
}
