/**
 * How a browser page proves to the web host that it is the page `provisioning ui` opened. The
 * printed URL carries a per-launch token in its fragment (`#token=…`: never sent to any server, never
 * in a referrer or a log); the page keeps it in sessionStorage (per origin, so per port) and offers
 * it with the WebSocket as a second subprotocol. No cookie: browsers send 127.0.0.1's cookies to
 * every port, so another user's server would receive one.
 */

/** The subprotocol the host answers with; the token travels beside it. */
export const WEB_PROTOCOL = 'provisioning.v1';
const TOKEN_PREFIX = 'token.';

/** The subprotocols a client offers: the contract's, then its token. */
export function webSocketProtocols(token: string): string[] {
  return [WEB_PROTOCOL, `${TOKEN_PREFIX}${token}`];
}

/** The token a `Sec-WebSocket-Protocol` header offers, if exactly one is there. */
export function offeredToken(header: string | undefined): string | undefined {
  const offered = (header ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol.startsWith(TOKEN_PREFIX));
  return offered.length === 1 ? offered[0]!.slice(TOKEN_PREFIX.length) : undefined;
}

/** The token in a URL fragment such as `#token=abc` (base64url characters only). */
export function fragmentToken(hash: string): string | undefined {
  return /^#(?:.*&)?token=([A-Za-z0-9_-]+)(?:&|$)/.exec(hash)?.[1];
}
