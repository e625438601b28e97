/**
 * `daemon run|stop|status`: the headless owner of supervision. The CLI starts it on demand;
 * `run` keeps it in the foreground (for service managers and debugging).
 */
import { runDaemon } from '../../daemon/run-daemon';
import { RegistryFile } from '../../core/registry/registry-file';
import type { CommandContext } from '../command-context';

export async function daemonRun(ctx: CommandContext): Promise<void> {
  const { loaded, registry } = await ctx.registry();
  await runDaemon({
    home: ctx.home,
    registry,
    registryFile: new RegistryFile(loaded.location, ctx.io.cwd),
    env: ctx.io.env,
    log: (line) => ctx.out(`${new Date().toISOString()} ${line}`),
  });
  // It owns nothing any more: a timer some driver still holds must not keep the process (and its
  // pid in `ps`) alive after `daemon stop` said it stopped.
  setTimeout(() => process.exit(), 1_000).unref();
}

export async function daemonStop(ctx: CommandContext): Promise<void> {
  const client = await ctx.runningOwner();
  if (!client) return ctx.out('no daemon is running');
  const { pid } = await client.call('hello');
  await client.call('shutdown');
  client.close();
  ctx.out(`daemon (pid ${pid}) stopped; services keep running and the next owner adopts them`);
}

export async function daemonStatus(ctx: CommandContext): Promise<void> {
  const client = await ctx.runningOwner();
  if (!client) {
    if (ctx.options.json) return ctx.json({ running: false });
    return ctx.out('no daemon is running');
  }
  const hello = await client.call('hello');
  client.close();
  if (ctx.options.json) return ctx.json({ running: true, ...hello });
  ctx.out(`daemon pid ${hello.pid} owns ${hello.home} (registry ${hello.registry})`);
}
