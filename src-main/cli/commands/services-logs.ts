/**
 * `services logs <name>` and `platform logs [names…]`: logs read straight from their files (no daemon
 * needed): the last N lines, lines since a time, and with --follow every new line until Ctrl-C.
 * Several services are merged by time, each line prefixed with its service in its own color.
 */
import { parseDuration } from '@shared/model';
import type { LogLine } from '../../core/logs/log-line';
import { logFiles } from '../../core/logs/log-files';
import { followLog, tailLog } from '../../core/logs/log-reader';
import { stateDirs } from '../../core/state/state-store';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export interface LogsOptions {
  readonly lines: number;
  readonly follow: boolean;
  readonly since?: string;
}

/** With no names, every service of the registry. */
export async function servicesLogs(ctx: CommandContext, names: readonly string[], options: LogsOptions, signal?: AbortSignal): Promise<void> {
  const { registry } = await ctx.registry();
  const all = registry.services.map((s) => s.name);
  for (const name of names) if (!all.includes(name)) ctx.unknownService(name, all);
  const since = options.since === undefined ? undefined : sinceTime(options.since);
  if (since === null) {
    ctx.err(ctx.paint.red(`--since takes a duration ("10m") or a time ("2026-01-31T12:00:00Z"), not '${options.since}'`));
    throw new CliExit(EXIT.usage);
  }
  const shown = names.length > 0 ? names : all;
  const width = Math.max(...shown.map((name) => name.length));
  const sources = shown.map((name, i) => ({
    name,
    files: logFiles(stateDirs(ctx.home).logs, name),
    prefix: shown.length > 1 ? `${ctx.paint.tint(i)(name.padEnd(width))} ${ctx.paint.dim('│')} ` : '',
  }));
  const read = await Promise.all(
    sources.map(async (source) => ({ source, lines: await tailLog(source.files, since === undefined ? options.lines : undefined) })),
  );
  // Merged by time; a stable sort keeps each service's own order among equal times.
  const merged = read
    .flatMap(({ source, lines }) => lines.filter((l) => since === undefined || l.time >= since).map((line) => ({ source, line })))
    .sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : 0))
    .slice(-options.lines);
  merged.forEach(({ source, line }) => print(ctx, source, line));
  if (!options.follow) return;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  signal?.addEventListener('abort', onSigint);
  try {
    // Each follows from its newest line on disk, whether or not --since showed it.
    await Promise.all(
      read.map(async ({ source, lines }) => {
        for await (const line of followLog(source.files, { afterSeq: lines.at(-1)?.seq ?? 0, signal: stop.signal })) print(ctx, source, line);
      }),
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function print(ctx: CommandContext, source: { name: string; prefix: string }, line: LogLine): void {
  if (ctx.options.json) return ctx.out(JSON.stringify({ service: source.name, ...line }));
  const { dim, cyan, red } = ctx.paint;
  const text = line.stream === 'evt' ? cyan(`── ${line.text}`) : line.stream === 'err' ? red(line.text) : line.text;
  ctx.out(`${source.prefix}${dim(line.time)} ${text}`);
}

/** An ISO time for "since": from a duration ago, or a date given outright; null when neither. */
function sinceTime(text: string): string | null {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(Date.now() - ms).toISOString();
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
