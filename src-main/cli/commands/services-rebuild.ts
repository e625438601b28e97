/**
 * `services rebuild <name>`: the owner builds the service's image again if what goes into it
 * changed, and recreates its running container from a new image. Prints what it did; exits 1 when
 * the recreated service does not serve (a failed build is the owner's error, printed as such).
 */
import { SERVING } from '@shared/contract/state-meaning';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';
import { printOutcome } from './services-lifecycle';

export async function servicesRebuild(ctx: CommandContext, name: string): Promise<void> {
  const { client, registry } = await ctx.owner();
  const report = await client.call('rebuild', { name, env: callerEnv(ctx, registry) });
  if (ctx.options.json) ctx.json(report);
  else {
    const id = report.imageId.replace(/^sha256:/, '').slice(0, 12);
    ctx.out(report.built ? `built ${report.image} (${id})` : `image ${report.image} (${id}) up to date: nothing to build`);
    if (report.recreated) printOutcome(ctx, report.status);
    else ctx.out(ctx.paint.dim(report.built ? `${name} is not running: its next start uses the new image` : 'nothing restarted'));
  }
  if (report.recreated && !SERVING.has(report.status.state)) throw new CliExit(EXIT.invalid);
}
