/**
 * `platform update`: a reconcile. The owner re-reads the registry, says what was added, removed and
 * changed (by configuration hash), stops what was removed and restarts only what changed and ran,
 * in dependency order. An invalid registry changes nothing. `--dry-run` only says what it would do
 * (the owner's `updatePlan`): what it would stop, restart, add and remove.
 */
import type { UpdatePlan } from '@shared/contract/platform';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';
import { printChange, summarize } from './platform-operation';

export async function platformUpdate(ctx: CommandContext, { dryRun = false }: { dryRun?: boolean } = {}): Promise<void> {
  // Checked here first, so problems are shown with their locations before the owner is asked.
  const { client, registry } = await ctx.owner();
  if (dryRun) return printPlan(ctx, await client.call('updatePlan'));
  // Only changes are shown: an older owner, which rebuilt its engine, announced every service's state, changed or not.
  const states = new Map((await client.call('status')).map((s) => [s.name, s.state]));
  client.onEvent(({ status }) => {
    if (!ctx.options.json && states.get(status.name) !== status.state) printChange(ctx, status);
    states.set(status.name, status.state);
  });
  await client.call('subscribe');
  // The registry as read here is the file the owner reads again: its references are the ones to send.
  const report = await client.call('update', { env: callerEnv(ctx, registry) });
  const failed = [report.stop, report.start].some((r) => r?.steps.some((s) => s.outcome === 'failed' || s.outcome === 'blocked'));
  if (ctx.options.json) {
    ctx.json(report);
    if (failed) throw new CliExit(EXIT.invalid);
    return;
  }
  const { bold, dim } = ctx.paint;
  const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : dim('none'));
  ctx.out(`\n${bold('added')}    ${list(report.added)}${report.added.length > 0 ? dim(' (not started: `provisioning platform start <name>`)') : ''}`);
  ctx.out(`${bold('removed')}  ${list(report.removed)}`);
  ctx.out(`${bold('changed')}  ${list(report.changed)}`);
  if (report.stop) summarize(ctx, report.stop);
  if (report.start) summarize(ctx, report.start);
  if (!report.stop && !report.start) ctx.out(dim('nothing running was out of date; nothing restarted'));
  if (failed) throw new CliExit(EXIT.invalid);
}

/** What the update would do, changing nothing; a file the owner finds not valid (changed meanwhile) plans nothing and says why. */
function printPlan(ctx: CommandContext, plan: UpdatePlan): void {
  if (ctx.options.json) {
    ctx.json(plan);
  } else {
    const { bold, dim } = ctx.paint;
    const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : dim('none'));
    ctx.out(`${bold('would stop')}     ${list(plan.stop)}${plan.stop.length > 0 ? dim(' (removed from the file, running)') : ''}`);
    ctx.out(`${bold('would restart')}  ${list(plan.restart)}${plan.restart.length > 0 ? dim(' (changed in the file, running)') : ''}`);
    ctx.out(`${bold('would add')}      ${list(plan.added)}${plan.added.length > 0 ? dim(' (not started)') : ''}`);
    ctx.out(`${bold('would remove')}   ${list(plan.removed)}`);
    const idle = plan.changed.filter((name) => !plan.restart.includes(name));
    if (idle.length > 0) ctx.out(`${bold('redefined')}      ${idle.join(', ')}${dim(' (changed, not running: nothing to restart)')}`);
    ctx.out(dim('dry run: nothing changed; `provisioning platform update` applies it'));
    ctx.printIssues(plan.issues, (line) => ctx.err(line));
  }
  if (plan.issues.some((issue) => issue.severity === 'error')) throw new CliExit(EXIT.invalid);
}
