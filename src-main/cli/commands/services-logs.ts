/**
 * `services logs <name>`: the service's log, read straight from its files (no daemon needed):
 * the last N lines, lines since a time, and with --follow every new line until Ctrl-C.
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

export async function servicesLogs(ctx: CommandContext, name: string, options: LogsOptions, signal?: AbortSignal): Promise<void> {
  const { registry } = await ctx.registry();
  const names = registry.services.map((s) => s.name);
  if (!names.includes(name)) ctx.unknownService(name, names);
  const since = options.since === undefined ? undefined : sinceTime(options.since);
  if (since === null) {
    ctx.err(ctx.paint.red(`--since takes a duration ("10m") or a time ("2026-01-31T12:00:00Z"), not '${options.since}'`));
    throw new CliExit(EXIT.usage);
  }
  const files = logFiles(stateDirs(ctx.home).logs, name);
  const read = await tailLog(files, since === undefined ? options.lines : undefined);
  const shown = (since === undefined ? read : read.filter((l) => l.time >= since)).slice(-options.lines);
  shown.forEach((line) => print(ctx, line));
  if (!options.follow) return;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  signal?.addEventListener('abort', onSigint);
  try {
    // Follow from the newest line on disk, whether or not --since showed it.
    for await (const line of followLog(files, { afterSeq: read.at(-1)?.seq ?? 0, signal: stop.signal })) print(ctx, line);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function print(ctx: CommandContext, line: LogLine): void {
  if (ctx.options.json) return ctx.out(JSON.stringify(line));
  const { dim, cyan, red } = ctx.paint;
  const text = line.stream === 'evt' ? cyan(`── ${line.text}`) : line.stream === 'err' ? red(line.text) : line.text;
  ctx.out(`${dim(line.time)} ${text}`);
}

/** An ISO time for "since": from a duration ago, or a date given outright; null when neither. */
function sinceTime(text: string): string | null {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(Date.now() - ms).toISOString();
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

