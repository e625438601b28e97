/** `services readiness` (and `platform health`): per service ready / would start / blocked, with reasons. */
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';

export async function servicesReadiness(ctx: CommandContext): Promise<void> {
  const { client, registry } = await ctx.owner();
  // Would it start from this shell: its values of the env references count, and are not kept.
  const report = await client.call('readiness', { env: callerEnv(ctx, registry) });
  if (ctx.options.json) ctx.json(report);
  else {
    const { green, yellow, red, bold, dim } = ctx.paint;
    const paint = { ready: green, 'would start': yellow, blocked: red } as const;
    const rows = report.map((r) => [bold(r.name), paint[r.verdict](r.verdict), r.reasons.join('; ')]);
    ctx.table(['NAME', 'READINESS', 'WHY'], rows);
    const ready = report.filter((r) => r.verdict === 'ready').length;
    ctx.out(dim(`\n${ready} of ${report.length} ready`));
  }
  if (report.some((r) => r.verdict === 'blocked')) throw new CliExit(EXIT.invalid);
}
