/**
 * Runs one of a binary service's commands around its life — `pre_start`, `post_start`, `pre_stop`,
 * `stop_command` — as systemd runs ExecStartPre= and ExecStop=: `/bin/sh -c <command>` in the
 * service's working directory and environment, as its user, in a process group of its own. Its
 * output goes into the service's raw log files, each line prefixed with the hook's name, and its last
 * lines are kept (bounded) for the message when it fails. Past its timeout its group is killed, and
 * so is whatever it left running when it ends: a hook never leaves an unsupervised process behind.
 */
import { spawn } from 'node:child_process';
import { formatDuration, type Hook } from '@shared/model';
import type { LogFiles } from '../../logs/log-files';
import { RawAppender } from '../../logs/raw-appender';
import type { RunAs } from '../../process/run-as';

export type HookName = 'pre_start' | 'post_start' | 'pre_stop' | 'stop_command';

export interface HookContext {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly runAs?: RunAs;
  readonly logs: LogFiles;
  /** What its summary and kept lines are shown through (secrets of env files as `${NAME}`). */
  readonly mask?: (text: string) => string;
}

export interface HookOutcome {
  readonly ok: boolean;
  /** "pre_start (mkdir /x) exited with code 1", for the log and a failed start. */
  readonly summary: string;
  /** Its last output lines, at most TAIL_LINES of TAIL_LINE_CHARS. */
  readonly tail: readonly string[];
}

const TAIL_LINES = 5;
const TAIL_LINE_CHARS = 300;
/** A line longer than this is written in pieces (each prefixed), so a hook without newlines is never held in memory. */
const MAX_PARTIAL_CHARS = 64 * 1024;
/** After it exits, how long a descendant that left its group may hold its pipes before we stop reading. */
const DRAIN_MS = 1_000;

/** Runs `hook` for at most `budgetMs` (its own timeout, or less when a stop's time is running out). */
export async function runHook(name: HookName, hook: Hook, context: HookContext, budgetMs = hook.timeout): Promise<HookOutcome> {
  const label = `${name} (${context.mask?.(hook.command) ?? hook.command})`;
  const tail: string[] = [];
  const child = spawn('/bin/sh', ['-c', hook.command], {
    cwd: context.cwd,
    env: context.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(context.runAs ? { uid: context.runAs.uid, gid: context.runAs.gid } : {}),
  });
  const streams = [
    [child.stdout!, new RawAppender(context.logs.rawStdout)],
    [child.stderr!, new RawAppender(context.logs.rawStderr)],
  ] as const;
  const closed = streams.map(([stream, file]) => prefixLines(stream, file, `[${name}] `, tail));
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), killGroup()), budgetMs);
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | Error>((resolve) => {
    child.once('error', resolve);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  killGroup();
  await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  const outcome = outcomeOf(label, ended, timedOut, budgetMs, context.mask ? tail.map(context.mask) : tail);
  // Its end goes into the log with its output, so the log alone tells what ran before the service.
  void streams[1][1].write(`[${name}] ${outcome.summary}\n`);
  for (const [stream] of streams) stream.destroy();
  // Its lines are in the files before the service's first: the log reads in the order things ran.
  await Promise.all(streams.map(([, file]) => file.end()));
  return outcome;
}

function outcomeOf(
  label: string,
  ended: { code: number | null; signal: NodeJS.Signals | null } | Error,
  timedOut: boolean,
  budgetMs: number,
  tail: string[],
): HookOutcome {
  if (ended instanceof Error) return { ok: false, summary: `${label} could not run: ${ended.message}`, tail };
  if (timedOut) return { ok: false, summary: `${label} did not finish within ${formatDuration(budgetMs)}; killed`, tail };
  if (ended.signal) return { ok: false, summary: `${label} was killed by ${ended.signal}`, tail };
  return { ok: ended.code === 0, summary: `${label} exited with code ${ended.code}`, tail };
}

/** The outcome in one line: its summary and, when it failed, its last lines. */
export function describeHook(outcome: HookOutcome): string {
  return outcome.ok || outcome.tail.length === 0 ? outcome.summary : `${outcome.summary}: ${outcome.tail.join(' | ')}`;
}

/** Copies a stream to `file`, each line prefixed, keeping the last lines in `tail`; resolves when the stream ends. */
function prefixLines(stream: NodeJS.ReadableStream, file: RawAppender, prefix: string, tail: string[]): Promise<void> {
  let partial = '';
  const emit = (line: string) => {
    void file.write(`${prefix}${line}\n`);
    const kept = line.trimEnd().slice(0, TAIL_LINE_CHARS);
    if (kept === '') return;
    tail.push(kept);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    lines.forEach(emit);
    while (partial.length > MAX_PARTIAL_CHARS) {
      emit(partial.slice(0, MAX_PARTIAL_CHARS));
      partial = partial.slice(MAX_PARTIAL_CHARS);
    }
  });
  return new Promise((resolve) => {
    const finish = () => {
      if (partial !== '') emit(partial);
      partial = '';
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
