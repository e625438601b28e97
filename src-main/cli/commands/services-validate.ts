/** `services validate`: every problem of the registry file at once, located; exit 1 when any is an error. */
import { hasErrors } from '@shared/model';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export async function servicesValidate(ctx: CommandContext): Promise<void> {
  const loaded = await ctx.loadRegistry();
  // Counted over every problem found, not only the listed ones (at most MAX_REPORTED_ISSUES).
  const { errors, warnings } = loaded.found;
  const valid = !hasErrors(loaded.issues);
  if (ctx.options.json) {
    ctx.json({ file: loaded.location.path, source: loaded.location.source, valid, services: loaded.registry?.services.length ?? 0, issues: loaded.issues });
  } else {
    ctx.printIssues(loaded.issues, (line) => ctx.out(line));
    const counts = [plural(errors, 'error'), plural(warnings, 'warning')].filter(Boolean).join(', ');
    ctx.out(
      valid
        ? ctx.paint.green(
            `✓ ${loaded.displayPath}: ${plural(loaded.registry!.services.length, 'service') || 'no services'}, valid${counts ? ` (${counts})` : ''}`,
          )
        : ctx.paint.red(`✗ ${loaded.displayPath}: ${counts}`),
    );
  }
  if (!valid) throw new CliExit(EXIT.invalid);
}

const plural = (count: number, noun: string): string => (count === 0 ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`);
