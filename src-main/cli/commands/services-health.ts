/**
 * `services health [name]`: runs the health checks now, from this process (a check only reads), and
 * prints each result with its latency. Exit 1 when a check fails.
 */
import { describeHealthCheck } from '@shared/model';
import { maskDeep, secretMask } from '@shared/model/secret-mask';
import { runProbe } from '../../core/health/run-probe';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export async function servicesHealth(ctx: CommandContext, name: string | undefined): Promise<void> {
  const { loaded, registry } = await ctx.registry();
  const services = name === undefined ? registry.services : registry.services.filter((s) => s.name === name);
  if (services.length === 0)
    ctx.unknownService(
      name!,
      registry.services.map((s) => s.name),
    );
  const context = ctx.checkContext(loaded);
  // Shown as the registry writes it: an env file's secret in a check reads `${NAME}`.
  const results = await Promise.all(
    services.map(async (service) => {
      const mask = secretMask(service.fromEnvFiles);
      const result = service.health_check ? await runProbe(service.health_check, context) : undefined;
      return { name: service.name, check: mask(describeHealthCheck(service.health_check)), result: result && maskDeep(result, mask) };
    }),
  );
  if (ctx.options.json) ctx.json(results);
  else {
    const { green, red, dim, bold } = ctx.paint;
    const rows = results.map(({ name, check, result }) => [
      bold(name),
      result ? (result.ok ? green('healthy') : red('failing')) : dim('no check'),
      result ? `${result.latencyMs}ms` : '',
      check,
      result?.message ?? '',
    ]);
    ctx.table(['NAME', 'RESULT', 'LATENCY', 'CHECK', 'MESSAGE'], rows);
  }
  if (results.some((r) => r.result && !r.result.ok)) throw new CliExit(EXIT.invalid);
}
