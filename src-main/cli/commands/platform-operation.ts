/**
 * Runs an operation on the owner and shows it: on a terminal a live table of the services
 * involved, redrawn as their states change; otherwise a plain line per change. The services shown
 * are the owner's plan (pushed as the operation begins, and in its report), never one derived from
 * this command's copy of the file. Then a summary with what failed and why, and the chain that
 * bounded the wall time. Ctrl-C cancels: nothing more is launched, what is under way finishes, and
 * the summary says what was left.
 */
import type { OperationPlan, PlatformReport, Step } from '@shared/contract/platform';
import type { ServiceStatus } from '@shared/contract/service-state';
import { formatDuration } from '@shared/model';
import type { OwnerClient } from '../../daemon/owner-client';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';
import { paintState } from '../output/status-style';

/** Exit code of a run cut short by Ctrl-C, as shells report SIGINT. */
const CANCELLED_EXIT = 130;

export interface OperationView<R> {
  /** The platform reports in the answer: one, two for a restart, none for a service's start. */
  readonly reports: (result: R) => readonly PlatformReport[];
  /** Told each plan as the owner announces it, before anything of it happens. */
  readonly announce?: (plan: OperationPlan) => void;
}

/**
 * Shows `run` live (table or lines) while it runs, with Ctrl-C cancelling it; prints nothing after.
 * A second plan (a restart's start half) gets a table of its own below the first.
 */
export async function watchOperation<R>(ctx: CommandContext, client: OwnerClient, run: () => Promise<R>, view: OperationView<R>): Promise<R> {
  const live = ctx.io.stdout.isTTY === true && !ctx.options.json;
  const states = new Map<string, ServiceStatus>();
  let involved: readonly string[] = [];
  let drawn = 0;
  const redraw = () => {
    if (involved.length === 0) return;
    const now = Date.now();
    const rows = involved.map((name) => {
      const s = states.get(name);
      return [ctx.paint.bold(name), s ? paintState(ctx.paint, s.state) : '', s ? formatDuration(Math.max(0, now - s.since)) : '', s?.reason ?? ''];
    });
    const text = ctx.tableText(['SERVICE', 'STATE', 'FOR', 'WHY'], rows);
    // Back over the previous drawing, then clear below: the table is redrawn in place.
    ctx.io.stdout.write(`${drawn ? `\u001b[${drawn}F\u001b[J` : ''}${text}\n`);
    drawn = text.split('\n').length;
  };
  client.onPlan((plan) => {
    // The table of the plan before stays as it ended; this one is drawn below it.
    if (live) redraw();
    drawn = 0;
    involved = plan.plan;
    view.announce?.(plan);
    if (live) redraw();
  });
  client.onEvent(({ status }) => {
    const before = states.get(status.name);
    states.set(status.name, status);
    if (!involved.includes(status.name)) return;
    if (live) redraw();
    // A health check's result (a new latency, the same state and reason) is no change to print.
    else if (!ctx.options.json && (before?.state !== status.state || before.reason !== status.reason)) printChange(ctx, status);
  });
  // An event can arrive before the snapshot's answer: it is the newer of the two.
  for (const status of (await client.call('subscribe')).services) if (!states.has(status.name)) states.set(status.name, status);
  // Also redrawn each second so the time in each state keeps counting.
  const ticker = live ? setInterval(redraw, 1000) : undefined;
  const onSigint = () => {
    ctx.err(ctx.paint.yellow('cancelling: nothing more starts; waiting for what is under way (Ctrl-C again to leave now)'));
    process.off('SIGINT', onSigint);
    void client.call('cancel').catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await run();
    clearInterval(ticker);
    // An owner that pushed no plan still reports it.
    if (involved.length === 0) involved = view.reports(result).at(-1)?.plan ?? [];
    if (live) redraw();
    return result;
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onSigint);
  }
}

/** A platform operation (start, stop, restart) shown live, then summarized; exit 1 when a step failed or was blocked, 130 when cancelled. */
export async function showOperation<R>(ctx: CommandContext, client: OwnerClient, run: () => Promise<R>, view: OperationView<R>): Promise<R> {
  const result = await watchOperation(ctx, client, run, view);
  const reports = view.reports(result);
  if (ctx.options.json) ctx.json(result);
  else reports.forEach((report) => summarize(ctx, report));
  endWithOutcome(reports);
  return result;
}

/** Ends the command with 130 when a report was cancelled, 1 when a step failed or was blocked. */
export function endWithOutcome(reports: readonly (PlatformReport | undefined)[]): void {
  if (reports.some((report) => report?.cancelled)) throw new CliExit(CANCELLED_EXIT);
  if (reports.some((report) => report?.steps.some((s) => s.outcome === 'failed' || s.outcome === 'blocked'))) throw new CliExit(EXIT.invalid);
}

export function printChange(ctx: CommandContext, status: ServiceStatus): void {
  const time = new Date(status.since).toISOString().slice(11, 23);
  ctx.out(`${ctx.paint.dim(time)} ${ctx.paint.bold(status.name)} ${paintState(ctx.paint, status.state)} ${ctx.paint.dim('·')} ${status.reason}`);
}

const VERB: Record<PlatformReport['operation'], Record<Step['outcome'], string>> = {
  start: { done: 'started', skipped: 'already running', failed: 'failed', blocked: 'blocked', cancelled: 'not started (cancelled)' },
  stop: { done: 'stopped', skipped: 'not running', failed: 'failed to stop', blocked: 'left running', cancelled: 'not stopped (cancelled)' },
};

export function summarize(ctx: CommandContext, report: PlatformReport): void {
  const { bold, dim, red, yellow, green } = ctx.paint;
  const counts = new Map<Step['outcome'], number>();
  for (const step of report.steps) counts.set(step.outcome, (counts.get(step.outcome) ?? 0) + 1);
  const parts = (['done', 'skipped', 'failed', 'blocked', 'cancelled'] as const)
    .filter((outcome) => counts.get(outcome))
    .map((outcome) => {
      const text = `${counts.get(outcome)} ${VERB[report.operation][outcome]}`;
      return outcome === 'failed' || outcome === 'blocked' ? red(text) : outcome === 'cancelled' ? yellow(text) : green(text);
    });
  ctx.out(`\n${bold(`platform ${report.operation}`)}: ${parts.join(', ') || 'nothing to do'} ${dim(`in ${formatDuration(report.ended - report.began)}`)}`);
  for (const step of report.steps.filter((s) => s.outcome === 'failed' || s.outcome === 'blocked')) {
    ctx.out(`  ${red('✗')} ${bold(step.name)} ${VERB[report.operation][step.outcome]}: ${step.reason}`);
  }
  if (report.operation === 'start' && report.criticalPath.length > 1) {
    const byName = new Map(report.steps.map((s) => [s.name, s]));
    const chain = report.criticalPath.map((name) => {
      const step = byName.get(name)!;
      return `${name} ${dim(formatDuration((step.ended ?? report.ended) - (step.began ?? report.began)))}`;
    });
    ctx.out(dim('  critical path: ') + chain.join(dim(' → ')));
  }
}
