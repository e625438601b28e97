/**
 * `services logs <name>` and `platform logs [names…]`: logs read straight from their files (no daemon
 * needed): the last N lines, and with --follow every new line until Ctrl-C. Several services are
 * merged by time, each line prefixed with its service in its own color.
 *
 * --stream, --since, --until and --grep filter where the lines are read — here, from the files — so
 * `-n` counts the lines kept, a follow goes on filtering, and nothing unkept is ever sent anywhere.
 * A follow with --until ends when that time comes.
 */
import { parseDuration, MAX_DURATION_MS } from '@shared/model/duration';
import { keepsLine, LOG_STREAMS, type LogFilter, type LogStreamName } from '@shared/contract/log-filter';
import type { LogLine } from '../../core/logs/log-line';
import { logFiles } from '../../core/logs/log-files';
import { followLog, tailLog } from '../../core/logs/log-reader';
import { stateDirs } from '../../core/state/state-dirs';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export interface LogsOptions {
  readonly lines: number;
  readonly follow: boolean;
  readonly since?: string;
  readonly until?: string;
  readonly grep?: string;
  /** As given: each may be a comma list. */
  readonly stream?: readonly string[];
}

/** With no names, every service of the registry. */
export async function servicesLogs(ctx: CommandContext, names: readonly string[], options: LogsOptions, signal?: AbortSignal): Promise<void> {
  const filter = logFilter(ctx, options);
  const { registry } = await ctx.registry();
  const all = registry.services.map((s) => s.name);
  for (const name of names) if (!all.includes(name)) ctx.unknownService(name, all);
  const shown = names.length > 0 ? names : all;
  const width = Math.max(...shown.map((name) => name.length));
  const sources = shown.map((name, i) => ({
    name,
    files: logFiles(stateDirs(ctx.home).logs, name),
    prefix: shown.length > 1 ? `${ctx.paint.tint(i)(name.padEnd(width))} ${ctx.paint.dim('│')} ` : '',
  }));
  const read = await Promise.all(
    sources.map(async (source) => {
      // The newest line read, kept or not: a follow goes on after it (the newest file is read first, and whole).
      let newest = 0;
      const keep = (line: LogLine) => {
        newest = Math.max(newest, line.seq);
        return keepsLine(filter, line);
      };
      const lines = await tailLog(source.files, options.lines, keep);
      return { source, lines, newest };
    }),
  );
  // Merged by time; a stable sort keeps each service's own order among equal times.
  const merged = read
    .flatMap(({ source, lines }) => lines.map((line) => ({ source, line })))
    .sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : 0))
    .slice(-options.lines);
  merged.forEach(({ source, line }) => print(ctx, source, line));
  if (!options.follow) return;
  const untilIn = filter.until === undefined ? undefined : Date.parse(filter.until) - Date.now();
  if (untilIn !== undefined && untilIn <= 0) return;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  signal?.addEventListener('abort', onSigint);
  // Past Node's longest timer the follow just runs on; the filter still drops lines after --until.
  const deadline = untilIn !== undefined && untilIn <= MAX_DURATION_MS ? setTimeout(onSigint, untilIn) : undefined;
  try {
    await Promise.all(
      read.map(async ({ source, newest }) => {
        for await (const line of followLog(source.files, { afterSeq: newest, signal: stop.signal })) if (keepsLine(filter, line)) print(ctx, source, line);
      }),
    );
  } finally {
    clearTimeout(deadline);
    process.off('SIGINT', onSigint);
  }
}

function print(ctx: CommandContext, source: { name: string; prefix: string }, line: LogLine): void {
  if (ctx.options.json) return ctx.out(JSON.stringify({ service: source.name, ...line }));
  const { dim, cyan, red } = ctx.paint;
  const text = line.stream === 'evt' ? cyan(`── ${line.text}`) : line.stream === 'err' ? red(line.text) : line.text;
  ctx.out(`${source.prefix}${dim(line.time)} ${text}`);
}

/** The filter the options ask for; what is wrong with them ends the command with exit 2. */
function logFilter(ctx: CommandContext, options: LogsOptions): LogFilter {
  const usage = (message: string): never => {
    ctx.err(ctx.paint.red(message));
    throw new CliExit(EXIT.usage);
  };
  const time = (option: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    return pointInTime(text) ?? usage(`${option} takes a duration before now ("10m", "2h", "1h30m") or a time ("2026-01-31T12:00:00Z"), not '${text}'`);
  };
  const since = time('--since', options.since);
  const until = time('--until', options.until);
  if (since !== undefined && until !== undefined && since > until) usage(`--since (${since}) is after --until (${until}): no line could match`);
  let grep: RegExp | undefined;
  try {
    grep = options.grep === undefined ? undefined : new RegExp(options.grep);
  } catch (error) {
    usage(`--grep takes a JavaScript regular expression: ${(error as Error).message}`);
  }
  const given = options.stream?.flatMap((list) => list.split(',').map((name) => name.trim()));
  const unknown = given?.find((name) => !(LOG_STREAMS as readonly string[]).includes(name));
  if (unknown !== undefined) usage(`--stream takes ${LOG_STREAMS.join(', ')} (repeated, or a comma list such as out,err), not '${unknown}'`);
  const streams = given === undefined ? undefined : new Set(given as LogStreamName[]);
  return { since, until, grep, streams };
}

/** An ISO time: a duration before now, or a date given outright; undefined when neither (or out of a date's range). */
function pointInTime(text: string): string | undefined {
  const ms = parseDuration(text);
  const date = ms !== undefined ? new Date(Date.now() - ms) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
