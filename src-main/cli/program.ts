/** The `provisioning` command tree. Only commands that really work are registered. */
import { Command, CommanderError, Option } from 'commander';
import { CliExit, EXIT, type CliIo } from './cli-io';
import { CommandContext, type GlobalOptions } from './command-context';
import { init } from './commands/init';
import { GRAPH_FORMATS, servicesDependencies } from './commands/services-dependencies';
import { servicesList } from './commands/services-list';
import { servicesValidate } from './commands/services-validate';

/** Runs one invocation and returns its exit code. Never calls process.exit, so tests can run it in-process. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (cause) {
    if (cause instanceof CliExit) return cause.exitCode;
    if (cause instanceof CommanderError) return cause.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // A file system refusal (permissions, a path through a file, …) is the user's to fix: say it plainly.
    if (cause instanceof Error && typeof (cause as NodeJS.ErrnoException).syscall === 'string') {
      io.stderr.write(`provisioning: ${cause.message}\n`);
      return EXIT.invalid;
    }
    throw cause;
  }
}

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
      await run(ctx, ...(args.slice(0, -1) as A));
    };

  const services = program.command('services').description('inspect and validate the service registry');
  services
    .command('list')
    .description('list the services of the registry in start order')
    .action(action(servicesList));
  services
    .command('dependencies [name]')
    .description('show the dependency tree (of one service, or all), start order and dependents')
    .addOption(new Option('-f, --format <format>', 'output format').choices(GRAPH_FORMATS).default('tree'))
    .option('-r, --reverse', 'show what depends on the service instead of what it depends on', false)
    .action(action((ctx, name: string | undefined, options: { format: (typeof GRAPH_FORMATS)[number]; reverse: boolean }) =>
      servicesDependencies(ctx, name, options)));
  services
    .command('validate')
    .description('check the registry file; report every problem at once with file:line:col')
    .action(action(servicesValidate));

  program
    .command('init')
    .description("write the platform registry to the user's config dir (~/.provisioning/config/services.toml)")
    .option('-f, --force', 'replace an existing registry (kept as services.toml.bak)', false)
    .action(action((ctx, options: { force: boolean }) => init(ctx, options)));

  return program;
}
