/** The `provisioning` command tree. Only commands that really work are registered. */
import { resolve } from 'node:path';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliExit, EXIT, type CliIo } from './cli-io';
import { CommandContext, type GlobalOptions } from './command-context';
import { GRAPH_FORMATS, type DependenciesOptions } from './commands/dependencies-options';
import type { LogsOptions } from './commands/services-logs';
import { COMPLETION_SHELLS, type CompletionShell } from './commands/completion';
import { packageVersion } from './commands/version';
import { LOG_STREAMS } from '@shared/contract/log-filter';
import { RemoteError } from '@shared/contract/remote-error';
import { formatDuration, MAX_DURATION_MS } from '@shared/model/duration';
import { REGISTRY_SOURCES, type RegistrySource } from '@shared/contract/registry-source';

/**
 * Runs one invocation and returns its exit code. Never calls process.exit, so tests can run it in-process.
 * Each command's implementation is imported by its action, when it runs: a command loads only what it
 * needs (`services status` neither the registry's schemas nor a driver; see bench/cli.bench.ts).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (cause) {
    if (cause instanceof CliExit) return cause.exitCode;
    if (cause instanceof CommanderError) return cause.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // A refusal the user can act on — a file system error, the engine or the daemon saying no — is said plainly.
    if (cause instanceof Error && (typeof (cause as NodeJS.ErrnoException).syscall === 'string' || USER_FACING.has(cause.name))) {
      const { withRemedy } = await import('./error-remedies');
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
  'LoginServiceError',
  'OwnerMismatchError',
  'OwnerNotAnsweringError',
  'OwnerUnavailableError',
  'PreflightError',
  'ProtocolError',
  'RegistryError',
]);

/** `argv`: as given, for `run`, whose command after `--` commander would merge into its operands. */
function createProgram(io: CliIo, argv: readonly string[]): Command {
  const program = new Command('provisioning')
    .description("Manage the provisioning platform's services: registry, dependencies, lifecycle.")
    .option('-c, --config <file>', 'registry file (default: $PROVISIONING_CONFIG, ~/.provisioning/config/services.toml, the demo registry)')
    .option(
      '--override <file>',
      'merge this file over the registry (repeatable, in order; default: services.local.toml beside the registry)',
      (file: string, previous: string[] = []) => [...previous, file],
    )
    .option('--json', 'machine-readable output', false)
    .option('--no-color', 'plain output (also: NO_COLOR=1)')
    .option('-V, --version', 'print the version')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showSuggestionAfterError();
  // Read only when asked (commander's own .version() wants the text before parsing).
  program.on('option:version', () => {
    io.stdout.write(`${packageVersion()}\n`);
    throw new CliExit(EXIT.ok);
  });

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
  services
    .command('list')
    .description('list the services of the registry in start order')
    .action(action(async (ctx) => (await import('./commands/services-list')).servicesList(ctx)));
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
    .option('--in <file>', 'with --add/--remove: the registry or override file to write (default: the one whose list is in force)')
    .action(
      action(async (ctx, name: string | undefined, options: DependenciesOptions & { add?: string; remove?: string; in?: string }) => {
        const dependency = options.add ?? options.remove;
        if (dependency === undefined) return (await import('./commands/services-dependencies')).servicesDependencies(ctx, name, options);
        const edit = options.add !== undefined ? 'add' : 'remove';
        if (name === undefined) return usageError(ctx, `--${edit} edits one service: \`provisioning services dependencies <name> --${edit} ${dependency}\``);
        return (await import('./commands/services-dependency-edit')).servicesDependencyEdit(ctx, {
          service: name,
          dependency,
          action: edit,
          ...(options.in !== undefined ? { file: resolve(io.cwd, options.in) } : {}),
        });
      }),
    );
  services
    .command('validate')
    .description('check the registry file; report every problem at once with file:line:col')
    .action(action(async (ctx) => (await import('./commands/services-validate')).servicesValidate(ctx)));
  services
    .command('start <name>')
    .description('start a service and what it needs, each once its dependencies are healthy (the daemon that supervises them starts on demand)')
    .option('--no-deps', 'start only this service, not what it needs (as in Compose)')
    .action(
      action(async (ctx, name: string, options: { deps: boolean }) =>
        (await import('./commands/services-lifecycle')).servicesLifecycle(ctx, 'start', name, { noDeps: !options.deps }),
      ),
    );
  services
    .command('stop <name>')
    .description('stop a service: its stop_signal (TERM) to its process tree, SIGKILL after its stop_timeout; refused while services that need it run')
    .addOption(new Option('--cascade', 'stop the services that need it first (printed before)').conflicts('force'))
    .addOption(new Option('--force', 'stop it even though services that need it run'))
    .action(
      action(async (ctx, name: string, options: { cascade?: boolean; force?: boolean }) =>
        options.cascade
          ? (await import('./commands/platform-lifecycle')).servicesStopCascade(ctx, name)
          : (await import('./commands/services-lifecycle')).servicesLifecycle(ctx, 'stop', name, { force: options.force === true }),
      ),
    );
  services
    .command('restart <name>')
    .description('stop, then start a service')
    .action(action(async (ctx, name: string) => (await import('./commands/services-lifecycle')).servicesLifecycle(ctx, 'restart', name)));
  services
    .command('rebuild <name>')
    .description(
      'build its image again if its build context, Dockerfile or args changed, and recreate its container from the new image (a failed build leaves it running)',
    )
    .action(action(async (ctx, name: string) => (await import('./commands/services-rebuild')).servicesRebuild(ctx, name)));
  services
    .command('exec <name> [cmd...]')
    .usage('<name> [-- cmd [args...]]')
    .description(
      "a terminal into a running service: docker exec in its container, the Kubernetes exec API in its pod, a shell in a binary service's directory and environment (interactive when stdin is a terminal, else plain pipes; exits with the program's code)",
    )
    .action(action(async (ctx, name: string, cmd: string[]) => (await import('./commands/services-exec')).servicesExec(ctx, name, cmd)));
  services
    .command('attach <name>')
    .description('join the terminal of a running `interactive = true` service (its recent output, then live; Ctrl-] detaches, the service runs on)')
    .action(action(async (ctx, name: string) => (await import('./commands/services-attach')).servicesAttach(ctx, name)));
  services
    .command('why <name>')
    .description('why a service is not running, blocked or degraded: the chain down to the root cause, and the last start')
    .action(action(async (ctx, name: string) => (await import('./commands/services-why')).servicesWhy(ctx, name)));
  services
    .command('status [name]')
    .description('state, pid, uptime, restarts and last exit of each service')
    .action(action(async (ctx, name: string | undefined) => (await import('./commands/services-status')).servicesStatus(ctx, name)));
  services
    .command('health [name]')
    .description('run the health checks now and show each result with its latency')
    .action(action(async (ctx, name: string | undefined) => (await import('./commands/services-health')).servicesHealth(ctx, name)));
  services
    .command('monitor [name]')
    .description('run the health checks every few seconds until Ctrl-C: a live table, or a line per change')
    .option('-i, --interval <seconds>', 'seconds between rounds', (value) => positiveInteger(value, '--interval', MAX_DURATION_MS / 1000), 5)
    .action(
      action(async (ctx, name: string | undefined, options: { interval: number }) =>
        (await import('./commands/services-monitor')).servicesMonitor(ctx, name, options),
      ),
    );
  services
    .command('readiness')
    .description('per service: ready, would start, or blocked — with the reasons')
    .action(action(async (ctx) => (await import('./commands/services-readiness')).servicesReadiness(ctx)));
  services
    .command('check <operation>')
    .description('the services an operation (server, workflow, test, …) needs, and whether they run')
    .option('-a, --auto-start', 'start the missing ones, with their dependencies', false)
    .action(
      action(async (ctx, operation: string, options: { autoStart: boolean }) =>
        (await import('./commands/services-check')).servicesCheck(ctx, operation, options),
      ),
    );
  withLogOptions(services.command('logs <name>').description("a service's log: its output and lifecycle events, time-stamped")).action(
    action(async (ctx, name: string, options: LogsOptions) => (await import('./commands/services-logs')).servicesLogs(ctx, [name], options)),
  );

  const platform = program.command('platform').description('the platform as a whole');
  withLabelOption(
    platform
      .command('start [names...]')
      .description('start the auto-start services (or the named or labelled ones) and what they need, each as soon as its dependencies are healthy'),
  ).action(action(async (ctx, names: string[], { label }: LabelOptions) => (await import('./commands/platform-lifecycle')).platformStart(ctx, names, label)));
  withLabelOption(
    platform
      .command('stop [names...]')
      .description('stop everything (or the named or labelled services and what needs them), dependents first, in parallel where the graph allows'),
  ).action(action(async (ctx, names: string[], { label }: LabelOptions) => (await import('./commands/platform-lifecycle')).platformStop(ctx, names, label)));
  withLabelOption(
    platform.command('restart [names...]').description('stop, then start again what ran (or the named or labelled services and what needs them)'),
  ).action(action(async (ctx, names: string[], { label }: LabelOptions) => (await import('./commands/platform-lifecycle')).platformRestart(ctx, names, label)));
  platform
    .command('status')
    .description('every service with its state, and the dependency tree with states')
    .action(action(async (ctx) => (await import('./commands/services-status')).platformStatus(ctx)));
  platform
    .command('update')
    .description('re-read the registry: show what was added, removed and changed, and restart only what changed, in dependency order')
    .option('--dry-run', 'only print what it would stop, restart, add and remove; change nothing', false)
    .action(action(async (ctx, { dryRun }: { dryRun: boolean }) => (await import('./commands/platform-update')).platformUpdate(ctx, { dryRun })));
  withLogOptions(
    platform.command('logs [names...]').description('the logs of all services (or the named ones) merged by time, each line prefixed with its service'),
  ).action(action(async (ctx, names: string[], options: LogsOptions) => (await import('./commands/services-logs')).servicesLogs(ctx, names, options)));
  platform
    .command('watch [names...]')
    .description('watch the named services (or all with `watch`) while it runs: a change of their files restarts them; prints each trigger, off on Ctrl-C')
    .action(action(async (ctx, names: string[]) => (await import('./commands/platform-watch')).platformWatch(ctx, names)));
  platform
    .command('health')
    .description('readiness of every service: ready, would start, or blocked, with reasons')
    .action(action(async (ctx) => (await import('./commands/services-readiness')).servicesReadiness(ctx)));

  program
    .command('settings')
    .description('the settings every face of this home shares')
    .command('web-terminals')
    .argument('[value]', 'on or off (none: show it)', (value: string) => {
      if (value !== 'on' && value !== 'off') throw new InvalidArgumentError('on or off');
      return value;
    })
    .description('allow terminals into services from the browser host (`provisioning ui`); only here or in the desktop app')
    .action(action(async (ctx, value: 'on' | 'off' | undefined) => (await import('./commands/settings-web-terminals')).settingsWebTerminals(ctx, value)));

  const daemon = program.command('daemon').description('the headless engine that supervises services while no desktop app runs');
  daemon
    .command('run')
    .description('run it in the foreground (the CLI starts it in the background on demand)')
    // Set by the client that starts it with --config: which step of discovery found that file, for the faces to tell.
    .addOption(new Option('--found-by <source>').choices(REGISTRY_SOURCES).hideHelp())
    .action(action(async (ctx, options: { foundBy?: RegistrySource }) => (await import('./commands/daemon-run')).daemonRun(ctx, options.foundBy)));
  daemon
    .command('stop')
    .description('stop supervising; services keep running and are adopted by the next owner')
    .action(action(async (ctx) => (await import('./commands/daemon')).daemonStop(ctx)));
  daemon
    .command('status')
    .description('whether a daemon runs, its pid and registry')
    .action(action(async (ctx) => (await import('./commands/daemon')).daemonStatus(ctx)));
  daemon
    .command('install')
    .description('run it at login for this home: a systemd user unit (Linux) or a launchd agent (macOS), enabled when the user manager answers')
    .action(action(async (ctx) => (await import('./commands/daemon-install')).daemonInstall(ctx)));
  daemon
    .command('uninstall')
    .description('remove (and disable) the login service of this home; services keep running')
    .action(action(async (ctx) => (await import('./commands/daemon-install')).daemonUninstall(ctx)));

  program
    .command('ui')
    .description('the control center in a browser: served on 127.0.0.1 behind a token, talking to the owning engine')
    .option('-p, --port <port>', 'port on 127.0.0.1 (default: any free one)', (value) => port(value), 0)
    .option('--no-open', 'print the URL without opening a browser')
    .action(action(async (ctx, options: { port: number; open: boolean }) => (await import('./commands/ui')).ui(ctx, options)));

  program
    .command('init')
    .description("write the platform registry to the user's config dir (~/.provisioning/config/services.toml)")
    .option('-f, --force', 'replace an existing registry (kept as services.toml.bak)', false)
    .action(action(async (ctx, options: { force: boolean }) => (await import('./commands/init')).init(ctx, options)));

  program
    .command('run [names...]')
    .usage('[--for <operation>] [names...] -- <command> [args...]')
    .description(
      "start what a command needs (an operation's required_for services, or the named ones, with their dependencies), run it once they serve with their endpoints in PROVISIONING_<NAME>_URL/_HOST/_PORT, stop what was started for it, exit with its code (as Compose's --exit-code-from, tilt ci)",
    )
    .option('--for <operation>', 'the services this operation needs (required_for), e.g. test')
    // What follows `--` is the command's, options included (run-arguments.ts reads it from the raw argv).
    .allowUnknownOption()
    .action(action(async (ctx, operands: string[], options: { for?: string }) => (await import('./commands/run')).run(ctx, operands, options, argv)));

  program
    .command('completion')
    .description(
      'print the shell completion script: source <(provisioning completion bash), likewise zsh; fish: > ~/.config/fish/completions/provisioning.fish',
    )
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .action(async (shell: CompletionShell) => (await import('./commands/completion')).completion(io, shell));
  // What the completion scripts ask on each Tab: no context, no registry validation, no daemon.
  program
    .command('__complete [words...]', { hidden: true })
    .helpOption(false)
    .allowUnknownOption()
    .action(async (words: string[]) => (await import('./commands/complete')).complete(io, program, words));

  return program;
}

/** Says what was wrong with the command line and ends it with exit 2, as commander does. */
function usageError(ctx: CommandContext, message: string): never {
  ctx.err(ctx.paint.red(message));
  throw new CliExit(EXIT.usage);
}

interface LabelOptions {
  readonly label: string[];
}

/** `--label billing`, repeated or as a comma list (`--label billing,infra`): the services carrying any of them. */
function withLabelOption(command: Command): Command {
  return command.option(
    '-l, --label <labels>',
    'also the services with this label (services.<name>.labels), with what they need; repeat or list: billing,infra',
    (value: string, previous: string[]) => {
      const labels = value.split(',').map((label) => label.trim());
      if (labels.some((label) => label.length === 0))
        throw new InvalidArgumentError('--label takes label names, e.g. --label billing or --label billing,infra');
      return [...previous, ...labels];
    },
    [],
  );
}

/** The options `services logs` and `platform logs` share. */
function withLogOptions(command: Command): Command {
  return command
    .option('-n, --lines <count>', 'how many recent lines', (value) => positiveInteger(value, '--lines'), 100)
    .option('-f, --follow', 'keep printing new lines until Ctrl-C', false)
    .option('--since <when>', 'only lines from then on: a duration before now ("10m", "2h") or a time ("2026-01-31T12:00:00Z")')
    .option('--until <when>', 'only lines up to then (same forms); a follow ends at that time')
    .option('--grep <regex>', 'only lines whose text matches this JavaScript regular expression (case-sensitive)')
    .addOption(
      // The choices are for help and completion; each value may be a comma list, checked by the command.
      new Option('--stream <stream>', "only these streams: out, err (the service's output), evt (lifecycle events); repeat or list: out,err")
        .choices(LOG_STREAMS)
        .argParser((value: string, previous: string[] = []) => [...previous, value]),
    );
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
