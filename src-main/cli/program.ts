/** The `provisioning` command tree. Only commands that really work are registered. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliExit, EXIT, type CliIo } from './cli-io';
import { CommandContext, type GlobalOptions } from './command-context';
import { init } from './commands/init';
import { GRAPH_FORMATS, servicesDependencies, type DependenciesOptions } from './commands/services-dependencies';
import { servicesDependencyEdit } from './commands/services-dependency-edit';
import { servicesList } from './commands/services-list';
import { servicesValidate } from './commands/services-validate';
import { daemonRun, daemonStatus, daemonStop } from './commands/daemon';
import { servicesLifecycle } from './commands/services-lifecycle';
import { servicesLogs, type LogsOptions } from './commands/services-logs';
import { servicesCheck } from './commands/services-check';
import { servicesHealth } from './commands/services-health';
import { servicesMonitor } from './commands/services-monitor';
import { servicesReadiness } from './commands/services-readiness';
import { platformStatus, servicesStatus } from './commands/services-status';
import { platformRestart, platformStart, platformStop, servicesStopCascade } from './commands/platform-lifecycle';
import { servicesWhy } from './commands/services-why';
import { platformUpdate } from './commands/platform-update';
import { ui } from './commands/ui';
import { RemoteError } from '@shared/contract/wire';
import { withRemedy } from './error-remedies';
import { formatDuration, MAX_DURATION_MS } from '@shared/model';

/** Runs one invocation and returns its exit code. Never calls process.exit, so tests can run it in-process. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (cause) {
    if (cause instanceof CliExit) return cause.exitCode;
    if (cause instanceof CommanderError) return cause.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // A refusal the user can act on — a file system error, the engine or the daemon saying no — is said plainly.
    if (cause instanceof Error && (typeof (cause as NodeJS.ErrnoException).syscall === 'string' || USER_FACING.has(cause.name))) {
      io.stderr.write(`provisioning: ${withRemedy(cause)}\n`);
      return EXIT.invalid;
    }
    // Any other failure inside the owner: its stack is the owner's, not ours, so the message is the story.
    if (cause instanceof RemoteError) {
      io.stderr.write(`provisioning: the engine failed (${cause.name}): ${cause.message}\n`);
      return EXIT.invalid;
    }
    throw cause;
  }
}

/** Errors whose message is the whole story (engine and daemon refusals, also as rebuilt from the wire). */
const USER_FACING = new Set([
  'EngineError',
  'DependentsRunningError',
  'HomeError',
  'OwnerMismatchError',
  'OwnerNotAnsweringError',
  'OwnerUnavailableError',
  'PreflightError',
  'ProtocolError',
  'RegistryError',
]);

function createProgram(io: CliIo): Command {
  const program = new Command('provisioning')
    .description("Manage the provisioning platform's services: registry, dependencies, lifecycle.")
    .option('-c, --config <file>', 'registry file (default: $PROVISIONING_CONFIG, ~/.provisioning/config/services.toml, the demo registry)')
    .option('--json', 'machine-readable output', false)
    .option('--no-color', 'plain output (also: NO_COLOR=1)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showSuggestionAfterError();

  /** Wraps an action with the command context built from the global options. */
  const action =
    <A extends unknown[]>(run: (ctx: CommandContext, ...args: A) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const ctx = new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
      try {
        await run(ctx, ...(args.slice(0, -1) as A));
      } finally {
        ctx.dispose();
      }
    };

  const services = program.command('services').description('inspect and validate the service registry');
  services.command('list').description('list the services of the registry in start order').action(action(servicesList));
  services
    .command('dependencies [name]')
    .description('show the dependency tree (of one service, or all), start order and dependents; or edit one dependency of <name>')
    .addOption(new Option('-f, --format <format>', 'output format').choices(GRAPH_FORMATS).default('tree'))
    .option('-r, --reverse', 'show what depends on the service instead of what it depends on', false)
    .addOption(
      new Option('--add <dependency>', 'make <name> depend on it, in the registry file as the graph view does; nothing restarts').conflicts([
        'remove',
        'format',
        'reverse',
      ]),
    )
    .addOption(new Option('--remove <dependency>', 'make <name> no longer depend on it (same path as --add)').conflicts(['format', 'reverse']))
    .action(
      action((ctx, name: string | undefined, options: DependenciesOptions & { add?: string; remove?: string }) => {
        const dependency = options.add ?? options.remove;
        if (dependency === undefined) return servicesDependencies(ctx, name, options);
        const edit = options.add !== undefined ? 'add' : 'remove';
        if (name === undefined) return usageError(ctx, `--${edit} edits one service: \`provisioning services dependencies <name> --${edit} ${dependency}\``);
        return servicesDependencyEdit(ctx, { service: name, dependency, action: edit });
      }),
    );
  services.command('validate').description('check the registry file; report every problem at once with file:line:col').action(action(servicesValidate));
  services
    .command('start <name>')
    .description('start a service and what it needs, each once its dependencies are healthy (the daemon that supervises them starts on demand)')
    .option('--no-deps', 'start only this service, not what it needs (as in Compose)')
    .action(action((ctx, name: string, options: { deps: boolean }) => servicesLifecycle(ctx, 'start', name, { noDeps: !options.deps })));
  services
    .command('stop <name>')
    .description('stop a service: its stop_signal (TERM) to its process tree, SIGKILL after its stop_timeout; refused while services that need it run')
    .addOption(new Option('--cascade', 'stop the services that need it first (printed before)').conflicts('force'))
    .addOption(new Option('--force', 'stop it even though services that need it run'))
    .action(
      action((ctx, name: string, options: { cascade?: boolean; force?: boolean }) =>
        options.cascade ? servicesStopCascade(ctx, name) : servicesLifecycle(ctx, 'stop', name, { force: options.force === true }),
      ),
    );
  services
    .command('restart <name>')
    .description('stop, then start a service')
    .action(action((ctx, name: string) => servicesLifecycle(ctx, 'restart', name)));
  services
    .command('why <name>')
    .description('why a service is not running, blocked or degraded: the chain down to the root cause, and the last start')
    .action(action((ctx, name: string) => servicesWhy(ctx, name)));
  services
    .command('status [name]')
    .description('state, pid, uptime, restarts and last exit of each service')
    .action(action((ctx, name: string | undefined) => servicesStatus(ctx, name)));
  services
    .command('health [name]')
    .description('run the health checks now and show each result with its latency')
    .action(action((ctx, name: string | undefined) => servicesHealth(ctx, name)));
  services
    .command('monitor [name]')
    .description('run the health checks every few seconds until Ctrl-C: a live table, or a line per change')
    .option('-i, --interval <seconds>', 'seconds between rounds', (value) => positiveInteger(value, '--interval', MAX_DURATION_MS / 1000), 5)
    .action(action((ctx, name: string | undefined, options: { interval: number }) => servicesMonitor(ctx, name, options)));
  services.command('readiness').description('per service: ready, would start, or blocked — with the reasons').action(action(servicesReadiness));
  services
    .command('check <operation>')
    .description('the services an operation (server, workflow, test, …) needs, and whether they run')
    .option('-a, --auto-start', 'start the missing ones, with their dependencies', false)
    .action(action((ctx, operation: string, options: { autoStart: boolean }) => servicesCheck(ctx, operation, options)));
  withLogOptions(services.command('logs <name>').description("a service's log: its output and lifecycle events, time-stamped")).action(
    action((ctx, name: string, options: LogsOptions) => servicesLogs(ctx, [name], options)),
  );

  const platform = program.command('platform').description('the platform as a whole');
  platform
    .command('start [names...]')
    .description('start the auto-start services (or the named ones) and what they need, each as soon as its dependencies are healthy')
    .action(action((ctx, names: string[]) => platformStart(ctx, names)));
  platform
    .command('stop [names...]')
    .description('stop everything (or the named services and what needs them), dependents first, in parallel where the graph allows')
    .action(action((ctx, names: string[]) => platformStop(ctx, names)));
  platform
    .command('restart [names...]')
    .description('stop, then start again what ran (or the named services and what needs them)')
    .action(action((ctx, names: string[]) => platformRestart(ctx, names)));
  platform.command('status').description('every service with its state, and the dependency tree with states').action(action(platformStatus));
  platform
    .command('update')
    .description('re-read the registry: show what was added, removed and changed, and restart only what changed, in dependency order')
    .action(action(platformUpdate));
  withLogOptions(
    platform.command('logs [names...]').description('the logs of all services (or the named ones) merged by time, each line prefixed with its service'),
  ).action(action((ctx, names: string[], options: LogsOptions) => servicesLogs(ctx, names, options)));
  platform.command('health').description('readiness of every service: ready, would start, or blocked, with reasons').action(action(servicesReadiness));

  const daemon = program.command('daemon').description('the headless engine that supervises services while no desktop app runs');
  daemon.command('run').description('run it in the foreground (the CLI starts it in the background on demand)').action(action(daemonRun));
  daemon.command('stop').description('stop supervising; services keep running and are adopted by the next owner').action(action(daemonStop));
  daemon.command('status').description('whether a daemon runs, its pid and registry').action(action(daemonStatus));

  program
    .command('ui')
    .description('the control center in a browser: served on 127.0.0.1 behind a token, talking to the owning engine')
    .option('-p, --port <port>', 'port on 127.0.0.1 (default: any free one)', (value) => port(value), 0)
    .option('--no-open', 'print the URL without opening a browser')
    .action(action((ctx, options: { port: number; open: boolean }) => ui(ctx, options)));

  program
    .command('init')
    .description("write the platform registry to the user's config dir (~/.provisioning/config/services.toml)")
    .option('-f, --force', 'replace an existing registry (kept as services.toml.bak)', false)
    .action(action((ctx, options: { force: boolean }) => init(ctx, options)));

  return program;
}

/** Says what was wrong with the command line and ends it with exit 2, as commander does. */
function usageError(ctx: CommandContext, message: string): never {
  ctx.err(ctx.paint.red(message));
  throw new CliExit(EXIT.usage);
}

/** The options `services logs` and `platform logs` share. */
function withLogOptions(command: Command): Command {
  return command
    .option('-n, --lines <count>', 'how many recent lines', (value) => positiveInteger(value, '--lines'), 100)
    .option('-f, --follow', 'keep printing new lines until Ctrl-C', false)
    .option('--since <when>', 'only lines since a duration ago ("10m") or a time ("2026-01-31T12:00:00Z")');
}

function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) throw new InvalidArgumentError('--port takes 0 to 65535');
  return number;
}

/** `max` keeps a wait within what Node's timers hold (MAX_DURATION_MS): beyond it they fire at once. */
function positiveInteger(value: string, option: string, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`${option} takes a whole number of 1 or more`);
  if (number > max) throw new InvalidArgumentError(`${option} takes at most ${max} (${formatDuration(max * 1000)}): longer waits overflow the timers`);
  return number;
}
