/**
 * `services monitor [name] --interval N`: runs the health checks every N seconds until Ctrl-C. On a
 * terminal the table is redrawn in place; otherwise (or with --json) one line per change of result.
 */
import type { ProbeResult } from '@shared/contract/health';
import { maskDeep, secretMask } from '@shared/model/secret-mask';
import { killRunningChecks } from '../../core/health/command-probe';
import { runProbe } from '../../core/health/run-probe';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export async function servicesMonitor(ctx: CommandContext, name: string | undefined, options: { interval: number }): Promise<void> {
  const { loaded, registry } = await ctx.registry();
  const services = registry.services.filter((s) => s.health_check && (name === undefined || s.name === name));
  if (services.length === 0) {
    if (name)
      ctx.unknownService(
        name,
        registry.services.filter((s) => s.health_check).map((s) => s.name),
        'health-checked service',
      );
    ctx.err(ctx.paint.red('no service has a health check'));
    throw new CliExit(EXIT.invalid);
  }
  const context = ctx.checkContext(loaded);
  const live = ctx.io.stdout.isTTY === true && !ctx.options.json;
  const last = new Map<string, boolean>();
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    while (!stop.signal.aborted) {
      // An env file's secret in a check's message reads `${NAME}`.
      const round = Promise.all(
        services.map(async (s) => ({ name: s.name, result: maskDeep(await runProbe(s.health_check!, context), secretMask(s.fromEnvFiles)) })),
      );
      const aborted = new Promise<undefined>((resolve) => stop.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
      // Ctrl-C does not wait for a slow check: its process group is ended instead.
      const results = await Promise.race([round, aborted]);
      if (!results) break;
      if (live) redraw(ctx, results, options.interval);
      else for (const { name, result } of results) if (last.get(name) !== result.ok) printChange(ctx, name, result);
      for (const { name, result } of results) last.set(name, result.ok);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, options.interval * 1000);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
      });
    }
  } finally {
    process.off('SIGINT', onSigint);
    killRunningChecks();
  }
}

function printChange(ctx: CommandContext, name: string, result: ProbeResult): void {
  if (ctx.options.json) return ctx.out(JSON.stringify({ name, ...result }));
  const verdict = result.ok ? ctx.paint.green('healthy') : ctx.paint.red('failing');
  ctx.out(`${new Date(result.at).toISOString()} ${name} ${verdict} ${result.latencyMs}ms ${result.message}`);
}

function redraw(ctx: CommandContext, results: { name: string; result: ProbeResult }[], interval: number): void {
  const { green, red, dim, bold } = ctx.paint;
  const rows = results.map(({ name, result }) => [bold(name), result.ok ? green('healthy') : red('failing'), `${result.latencyMs}ms`, result.message]);
  ctx.io.stdout.write('\u001b[H\u001b[2J');
  ctx.out(dim(`every ${interval}s · ${new Date().toLocaleTimeString()} · Ctrl-C to stop\n`));
  ctx.table(['NAME', 'RESULT', 'LATENCY', 'MESSAGE'], rows);
}
