/**
 * `provisioning ui [--port N] [--no-open]`: the control center in a browser, served on 127.0.0.1 by
 * the web host and talking to the owning engine (started on demand, kept while the UI runs). Prints
 * the URL with its token; opens it unless told not to; runs until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths';
import { daemonSocketPath } from '../../daemon/daemon-paths';
import { connectToOwner, openOwnerSocket } from '../../daemon/owner-client';
import { startWebHost } from '../../web/web-host';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export async function ui(ctx: CommandContext, options: { port: number; open: boolean }): Promise<void> {
  const root = join(packageRoot(), 'out', 'renderer');
  if (!existsSync(join(root, 'index.html'))) {
    ctx.err(ctx.paint.red(`the UI is not built (${root}): run \`npm run build\``));
    throw new CliExit(EXIT.invalid);
  }
  const { loaded } = await ctx.registry();
  const target = { home: ctx.home, registryPath: loaded.location.path, env: ctx.io.env, cli: join(packageRoot(), 'bin', 'provisioning.js') };
  // Held open while the UI runs, so the daemon stays between browser connections.
  const held = await connectToOwner(target);
  // Each browser connection makes sure an owner runs (starting the daemon again if it went away).
  const openOwner = async () => {
    (await connectToOwner(target)).close();
    return openOwnerSocket(daemonSocketPath(ctx.home));
  };
  const host = await startWebHost({ root, openOwner, port: options.port });
  ctx.out(`Provisioning control center: ${host.url}`);
  ctx.out(ctx.paint.dim('(127.0.0.1 only; the token in the URL is needed once per browser; Ctrl-C stops)'));
  if (options.open) openInBrowser(host.url);
  // `on`, not `once`: Ctrl-C under `npm start` arrives twice (from the terminal and forwarded), and
  // the second must not kill the clean-up the first began.
  await new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
  await host.close();
  held.close();
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(command, [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
}
