/**
 * `provisioning ui [--port N] [--no-open]`: the control center in a browser, served on 127.0.0.1 by
 * the web host and talking to the owning engine (started on demand, kept while the UI runs). Prints
 * the URL with this launch's token in its fragment (never sent to a server); opens it — through a
 * private launcher file, never with the token on a command line — unless told not to; runs until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { clientEnvSchema, type ClientEnv } from '@shared/contract/client-env';
import { referencedEnv } from '../../core/drivers/env-references';
import { packageRoot } from '../../core/paths';
import type { RegistryLocation } from '../../core/registry/discover-registry';
import { loadRegistry } from '../../core/registry/load-registry';
import { daemonSocketPath } from '../../daemon/daemon-paths';
import { connectToOwner, openOwnerSocket } from '../../daemon/owner-client';
import { startWebHost } from '../../web/web-host';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { openInBrowser, writeLauncher } from '../ui-launcher';
import { callerEnv } from './caller-env';

export async function ui(ctx: CommandContext, options: { port: number; open: boolean }): Promise<void> {
  const root = join(packageRoot(), 'out', 'renderer');
  if (!existsSync(join(root, 'index.html'))) {
    ctx.err(ctx.paint.red(`the UI is not built (${root}): run \`npm run build\``));
    throw new CliExit(EXIT.invalid);
  }
  const { loaded, registry } = await ctx.registry();
  const target = {
    home: ctx.home,
    registryPath: loaded.location.path,
    registrySource: loaded.location.source,
    env: ctx.io.env,
    cli: join(packageRoot(), 'bin', 'provisioning.js'),
  };
  // Held open while the UI runs, so the daemon stays between browser connections.
  const held = await connectToOwner(target);
  // Each browser connection makes sure an owner runs (starting the daemon again if it went away).
  const openOwner = async () => {
    (await connectToOwner(target)).close();
    return openOwnerSocket(daemonSocketPath(ctx.home));
  };
  const clientEnv = currentCallerEnv(ctx, loaded.location, callerEnv(ctx, registry));
  const host = await startWebHost({ root, openOwner, port: options.port, clientEnv });
  ctx.out(`Provisioning control center: ${host.url}`);
  ctx.out(ctx.paint.dim('(127.0.0.1 only; open this exact URL: its token, kept by that tab, is the only way in; Ctrl-C stops)'));
  const launcher = options.open ? writeLauncher(ctx.home, host.port, host.url) : undefined;
  if (launcher) openInBrowser(launcher.path);
  // `on`, not `once`: Ctrl-C under `npm start` arrives twice (from the terminal and forwarded), and
  // the second must not kill the clean-up the first began.
  await new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
  launcher?.remove();
  await host.close();
  held.close();
}

/**
 * A browser has no environment: its starts carry this shell's values of the env references of the
 * registry file as it is now (re-read when the file changed, so an edit followed by `update` is
 * covered). The owner runs that one file for its whole life (connectToOwner refuses another).
 */
function currentCallerEnv(ctx: CommandContext, location: RegistryLocation, atLaunch: ClientEnv): () => Promise<ClientEnv> {
  let env = atLaunch;
  let seen: string | undefined;
  return async () => {
    const stats = await stat(location.path).catch(() => undefined);
    const version = stats && `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
    if (version === undefined || version === seen) return env;
    seen = version;
    const { registry } = await loadRegistry(location, ctx.io.cwd);
    const next = registry && referencedEnv(registry, ctx.io.env);
    // An invalid file or too many values: the last good ones stay (the owner refuses such a file anyway).
    if (next && clientEnvSchema.safeParse(next).success) env = next;
    return env;
  };
}
