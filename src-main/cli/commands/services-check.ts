/**
 * `services check <operation> [--auto-start]`: the services an operation needs (`required_for`),
 * which run, and with --auto-start the missing ones started with their dependencies — the seed's
 * dispatcher integration ("orchestrator auto-starts when a workflow is submitted"). The owner does
 * it (`ensure`: all or nothing); this command shows the start live and says what is missing.
 */
import type { EnsureReport } from '@shared/contract/platform';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';
import { endWithOutcome, watchOperation } from './platform-operation';

export async function servicesCheck(ctx: CommandContext, operation: string, options: { autoStart: boolean }): Promise<void> {
  const { client, registry } = await ctx.owner();
  const ensure = () => client.call('ensure', { operation, autoStart: options.autoStart, env: callerEnv(ctx, registry) });
  const report: EnsureReport = options.autoStart ? await watchOperation(ctx, client, ensure, { reports: (r) => (r.start ? [r.start] : []) }) : await ensure();
  // The start's own report is shown live above; the answer keeps the shape it always had.
  const { start, ...answer } = report;
  const { problem, missing, required } = answer;
  if (ctx.options.json) ctx.json(answer);
  else if (problem) ctx.out(ctx.paint.red(`✗ ${operation}: ${problem}`));
  else if (missing.length === 0) ctx.out(ctx.paint.green(`✓ ${operation}: ${required.join(', ')} running`));
  else
    ctx.out(ctx.paint.red(`✗ ${operation} needs ${missing.join(', ')} (not running); \`provisioning services check ${operation} --auto-start\` starts them`));
  endWithOutcome([start]);
  if (problem || missing.length > 0) throw new CliExit(EXIT.invalid);
}
