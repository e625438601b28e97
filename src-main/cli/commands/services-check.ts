/**
 * `services check <operation> [--auto-start]`: the services an operation needs (`required_for`),
 * which run, and with --auto-start the missing ones started with their dependencies — the seed's
 * dispatcher integration ("orchestrator auto-starts when a workflow is submitted").
 */
import { buildGraph, startSet } from '@shared/graph';
import { isRunning } from '@shared/contract/service-state';
import { suggestion } from '@shared/model';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { callerEnv } from './caller-env';
import { printOutcome } from './services-lifecycle';

export async function servicesCheck(ctx: CommandContext, operation: string, options: { autoStart: boolean }): Promise<void> {
  const { client, registry } = await ctx.owner();
  const required = registry.services.filter((s) => s.required_for.includes(operation)).map((s) => s.name);
  if (required.length === 0) {
    const known = [...new Set(registry.services.flatMap((s) => s.required_for))];
    ctx.err(ctx.paint.red(`no service is required for '${operation}'${suggestion(operation, known)}; operations: ${known.join(', ') || 'none'}`));
    throw new CliExit(EXIT.invalid);
  }
  // Running means a live process, whatever its health; what is missing has none.
  const running = new Set((await client.call('status')).filter(isRunning).map((s) => s.name));
  const missing = required.filter((name) => !running.has(name));
  const started: string[] = [];
  const report = (problem?: string) => {
    const stillMissing = missing.filter((name) => !started.includes(name));
    if (ctx.options.json) ctx.json({ operation, required, running: required.filter((n) => running.has(n)), missing: stillMissing, started, ...(problem ? { problem } : {}) });
    else if (problem) ctx.out(ctx.paint.red(`✗ ${operation}: ${problem}`));
    else if (stillMissing.length === 0) ctx.out(ctx.paint.green(`✓ ${operation}: ${required.join(', ')} running`));
    else ctx.out(ctx.paint.red(`✗ ${operation} needs ${stillMissing.join(', ')} (not running); \`provisioning services check ${operation} --auto-start\` starts them`));
    if (problem || stillMissing.length > 0) throw new CliExit(EXIT.invalid);
  };
  if (!options.autoStart || missing.length === 0) return report();
  const toStart = startSet(buildGraph(registry.services), missing).filter((name) => !running.has(name));
  // Nothing starts unless everything can: a blocked service anywhere in the set stops the whole start.
  const env = callerEnv(ctx, registry);
  const blocked = (await client.call('readiness', { env })).filter((r) => toStart.includes(r.name) && r.verdict === 'blocked');
  if (blocked.length > 0) return report(blocked.map((r) => `${r.name} is blocked: ${r.reasons.join('; ')}`).join('; '));
  for (const name of toStart) {
    const status = await client.call('start', { name, env });
    if (!ctx.options.json) printOutcome(ctx, status);
    if (status.state !== 'healthy' && status.state !== 'degraded') return report(`${name} did not start: ${status.reason}`);
    started.push(name);
  }
  report();
}
