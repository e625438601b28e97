/**
 * `provisioning run [--for <operation>] [names…] -- <command> [args…]`: the test-runner mode, as
 * Compose's `--exit-code-from` and `tilt ci`. The owner starts what the command needs — the
 * operation's `required_for` services and the named ones, with their dependencies (none of either:
 * the auto-start ones) — shown live on stderr as `platform start` shows it; once all of it serves
 * (healthy, or completed for a task), the command runs directly (no shell), stdio inherited, with
 * each needed service's endpoint in its environment (service-endpoints.ts). Then the owner stops
 * what it started for this run that no other run still holds (run-holds.ts), and this exits with
 * the command's code — 128 + the signal on SIGINT (130), SIGTERM (143) or SIGHUP, which the command
 * gets first. When something needed does not start: why (as `services why` says it), what it
 * started is stopped, the command never runs, exit 1.
 * Everything it says goes to stderr: stdout is the command's.
 */
import type { Result } from '@shared/contract/methods';
import type { RunStart } from '@shared/contract/run';
import { SERVING } from '@shared/contract/state-meaning';
import { dirname } from 'node:path';
import type { OwnerClient } from '../../daemon/owner-client';
import { CliExit, EXIT } from '../cli-io';
import { CommandContext } from '../command-context';
import { runChild, signalExitCode } from '../run/child-command';
import { splitRunArguments } from '../run/run-arguments';
import { RunSignals } from '../run/run-signals';
import { endpointEnv } from '../run/service-endpoints';
import { callerEnv } from './caller-env';
import { known } from './platform-lifecycle';
import { summarize, watchOperation } from './platform-operation';
import { explainWhy } from './services-why';

export interface RunOptions {
  readonly for?: string;
}

/** `operands` and `raw`: what commander parsed and the argv it was given (run-arguments.ts). */
export async function run(ctx: CommandContext, operands: readonly string[], options: RunOptions, raw: readonly string[]): Promise<void> {
  const parsed = splitRunArguments(operands, raw);
  if ('problem' in parsed) {
    ctx.err(ctx.paint.red(parsed.problem));
    throw new CliExit(EXIT.usage);
  }
  const signals = new RunSignals();
  try {
    const code = await runWithServices(ctx, parsed.names, options.for, parsed.command, signals);
    if (code !== EXIT.ok) throw new CliExit(code);
  } finally {
    signals.dispose();
  }
}

async function runWithServices(ctx: CommandContext, names: string[], operation: string | undefined, command: string[], signals: RunSignals): Promise<number> {
  const { client, registry } = await ctx.owner();
  known(ctx, registry, names);
  const say = toStderr(ctx, () => false);
  // The live view of the start, silenced once it is over: state changes keep arriving while the command runs.
  let shown = false;
  const view = toStderr(ctx, () => shown);
  signals.onSignal(() => void client.call('cancel').catch(() => undefined));
  const answer = await watchOperation(
    view,
    client,
    () => client.call('runStart', { names, ...(operation ? { operation } : {}), env: callerEnv(ctx, registry) }),
    {
      reports: ({ start }) => [start],
    },
  );
  shown = true;
  const { start } = answer;
  const states = new Map((await client.call('status')).map((s) => [s.name, s.state]));
  const notServing = start.plan.filter((name) => !SERVING.has(states.get(name) ?? 'stopped'));
  if (signals.received || start.cancelled) {
    say.err(say.paint.yellow('cancelled: the command was not run'));
    await stopWhatItStarted(say, client, answer);
    return signalExitCode(signals.received ?? 'SIGINT');
  }
  if (notServing.length > 0) {
    summarize(say, start);
    const failed = start.steps.filter((s) => s.outcome === 'failed').map((s) => s.name);
    for (const name of failed.length > 0 ? failed : notServing) {
      say.out('');
      await explainWhy(say, client, registry, name);
    }
    say.err(say.paint.red(`✗ ${notServing.join(', ')} not serving: the command was not run`));
    await stopWhatItStarted(say, client, answer);
    return EXIT.invalid;
  }
  // Endpoints as the owner's registry places them (its `${registry_dir}`).
  const registryDir = dirname((await client.call('hello')).registry);
  const needed = registry.services.filter((s) => start.plan.includes(s.name));
  const env = { ...ctx.io.env, ...endpointEnv(needed, { home: ctx.home, registry_dir: registryDir }) };
  say.err(`${say.paint.bold('run')}: ${start.plan.join(', ') || 'nothing needed'} ${say.paint.dim('ready; running')} ${command.join(' ')}`);
  const child = runChild(command, { env, cwd: ctx.io.cwd });
  signals.onSignal((signal) => child.signal(signal));
  const { code, problem } = await child.exited;
  signals.onSignal(() => {});
  if (problem) say.err(say.paint.red(problem));
  await stopWhatItStarted(say, client, answer);
  return signals.received ? signalExitCode(signals.received) : code;
}

/** Ends the run's hold; says what was stopped, what was left running and why. */
async function stopWhatItStarted(say: CommandContext, client: OwnerClient, { start, started }: RunStart): Promise<void> {
  const { bold, dim, red, yellow } = say.paint;
  let ended: Result<'runStop'>;
  try {
    ended = await client.call('runStop');
  } catch (error) {
    // The owner went away (its holds with it): the command's exit code still stands; say what may be left.
    const left = started.length > 0 ? `; ${started.join(', ')} may still run: provisioning services stop ${started.join(' ')}` : '';
    say.err(yellow(`run: could not end the run with the owner (${(error as Error).message})${left}`));
    return;
  }
  const { stop, kept } = ended;
  const stopped = stop?.steps.filter((s) => s.outcome === 'done').map((s) => s.name) ?? [];
  const ranBefore = start.plan.filter((name) => !started.includes(name));
  const parts = [
    ...(stopped.length > 0 ? [`stopped ${stopped.join(', ')}`] : []),
    ...kept.map(({ name, reason }) => `left ${name} running (${reason})`),
    ...(ranBefore.length > 0 ? [`left ${ranBefore.join(', ')} running (ran before)`] : []),
  ];
  if (parts.length > 0) say.err(`${bold('run')}: ${parts.join(dim('; '))}`);
  for (const step of stop?.steps.filter((s) => s.outcome === 'failed') ?? []) say.err(red(`✗ ${step.name} failed to stop: ${step.reason}`));
}

/** A context that prints on stderr (nothing while `muted` says so), with the same options and colours. */
function toStderr(ctx: CommandContext, muted: () => boolean): CommandContext {
  const { stderr } = ctx.io;
  const stdout = { write: (text: string) => muted() || stderr.write(text), isTTY: stderr.isTTY, columns: stderr.columns };
  return new CommandContext({ ...ctx.io, stdout }, ctx.options);
}
