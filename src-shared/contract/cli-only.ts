/**
 * Methods only a local-socket client, the CLI, may call: `provisioning run` holds services for a
 * command on behalf of its connection ("another run needs it"), so a page — a browser behind the web
 * host, or the desktop window over IPC — could keep them up indefinitely. The relays of those faces
 * refuse them here, at their boundary, before anything reaches the owner (which cannot tell a relayed
 * connection from the CLI's).
 */
import type { MethodName } from './methods';
import { requestSchema, type Response } from './wire';

const CLI_ONLY: ReadonlySet<string> = new Set<MethodName>(['runStart', 'runStop']);

/** The answer to a request a face's relay must not carry, or undefined when it may (or it is not a request at all). */
export function cliOnlyRefusal(message: unknown): Response | undefined {
  const request = requestSchema.safeParse(message);
  if (!request.success) return undefined;
  // A page must not say which face it is: its relay says it (the web host: `web`), or it is the window.
  if (request.data.method === 'sessionFace')
    return { id: request.data.id, ok: false, error: { name: 'ProtocolError', message: 'sessionFace is said by the relay, not by a page' } };
  if (!CLI_ONLY.has(request.data.method)) return undefined;
  return {
    id: request.data.id,
    ok: false,
    error: {
      name: 'ProtocolError',
      message: `run is for the CLI: ${request.data.method} is not served to a browser or the desktop window; run \`provisioning run [--for <operation>] [names…] -- <command>\` in a terminal`,
    },
  };
}
