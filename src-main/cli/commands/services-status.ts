/** `services status [name]`: state, pid, uptime, restarts and last exit of each service, from the owner. */
import type { CommandContext } from '../command-context';
import { lastExit, paintState, uptime } from '../output/status-style';

export async function servicesStatus(ctx: CommandContext, name: string | undefined): Promise<void> {
  const { client } = await ctx.owner();
  const all = await client.call('status');
  const shown = name === undefined ? all : all.filter((s) => s.name === name);
  if (name !== undefined && shown.length === 0) ctx.unknownService(name, all.map((s) => s.name));
  if (ctx.options.json) return ctx.json(name === undefined ? shown : { ...shown[0], history: await client.call('history', { name }) });
  const now = Date.now();
  const rows = shown.map((s) => [
    ctx.paint.bold(s.name),
    paintState(ctx.paint, s.state),
    s.pid ? String(s.pid) : '',
    uptime(s, now),
    String(s.restarts),
    lastExit(s),
    s.nextRetryAt && s.nextRetryAt > now ? `${s.reason} (next try at ${new Date(s.nextRetryAt).toLocaleTimeString()})` : s.reason,
  ]);
  ctx.table(['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'LAST EXIT', 'REASON'], rows);
}
