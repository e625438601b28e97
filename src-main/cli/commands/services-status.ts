/** `services status [name]`: state, pid, uptime, restarts and last exit of each service, from the owner. */
import { suggestion } from '@shared/model';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { renderTable } from '../output/table';
import { lastExit, paintState, uptime } from '../output/status-style';

export async function servicesStatus(ctx: CommandContext, name: string | undefined): Promise<void> {
  const { client } = await ctx.owner();
  const all = await client.call('status');
  const shown = name === undefined ? all : all.filter((s) => s.name === name);
  if (name !== undefined && shown.length === 0) {
    ctx.err(ctx.paint.red(`unknown service '${name}'${suggestion(name, all.map((s) => s.name))}`));
    throw new CliExit(EXIT.invalid);
  }
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
  const header = ['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'LAST EXIT', 'REASON'].map(ctx.paint.dim);
  ctx.out(renderTable(header, rows, { width: ctx.io.stdout.isTTY ? ctx.io.stdout.columns : undefined }));
}
