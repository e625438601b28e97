/**
 * `provisioning __complete -- <words…>` (hidden): what the scripts of `provisioning completion` ask
 * on each Tab. The words are the command line after `provisioning` up to the cursor, the last one the
 * word being completed (empty after a space). Commands, options and their choices are read from the
 * commander program itself, so completion cannot drift from the CLI; an argument or option value
 * named `name(s)`/`dependency` completes service names, `operation` operation names, `labels` labels,
 * `file` paths.
 *
 * The answer: a first line `words`, then one candidate a line as `word<TAB>description` (the
 * description may be empty); or the single line `files`: the shell completes a path itself.
 */
import { Help, type Argument, type Command, type Option } from 'commander';
import type { CliIo } from '../cli-io';
import { completionNames } from './completion-names';

/** Value names (`<name>`, `[names...]`, `--add <dependency>`, `--for <operation>`) and what completes them. */
const VALUE_KINDS: Readonly<Record<string, 'services' | 'operations' | 'labels' | 'files'>> = {
  name: 'services',
  names: 'services',
  dependency: 'services',
  operation: 'operations',
  labels: 'labels',
  file: 'files',
};

type Candidate = readonly [word: string, description: string];
type Answer = 'files' | readonly Candidate[];

export async function complete(io: CliIo, program: Command, words: readonly string[]): Promise<void> {
  const answer = await candidates(program, words.slice(0, -1), words.at(-1) ?? '', io);
  if (answer === 'files') return void io.stdout.write('files\n');
  const lines = answer.map(([word, description]) => `${word}\t${description.replace(/\s+/g, ' ')}\n`);
  io.stdout.write(`words\n${lines.join('')}`);
}

/** Where the words before the cursor leave the command line. */
interface Position {
  readonly command: Command;
  /** An option whose value comes next. */
  readonly pending?: Option;
  /** How many arguments of `command` are given. */
  readonly given: number;
  /** After `--`: the rest is not ours (e.g. the command `run` runs). */
  readonly rest: boolean;
  readonly config?: string;
}

async function candidates(program: Command, done: readonly string[], current: string, io: CliIo): Promise<Answer> {
  const help = new Help();
  const at = locate(program, done, help);
  if (at.rest) return 'files';
  const names = () => completionNames({ config: at.config, env: io.env, cwd: io.cwd });
  const values = async (valueName: string | undefined, choices: readonly string[] | undefined): Promise<Answer> => {
    if (choices)
      return matching(
        choices.map((choice) => [choice, '']),
        current,
      );
    const kind = valueName === undefined ? undefined : VALUE_KINDS[valueName];
    if (kind === 'files') return 'files';
    if (kind === undefined) return [];
    return matching(
      (await names())[kind].map((name) => [name, '']),
      current,
    );
  };
  if (at.pending) return values(optionValueName(at.pending), at.pending.argChoices);
  if (current.startsWith('-')) return matching(optionsOf(at.command, help), current);
  const subcommands = help.visibleCommands(at.command);
  if (subcommands.length > 0)
    return matching(
      subcommands.map((c) => [c.name(), c.description()]),
      current,
    );
  const argument = argumentAt(at.command.registeredArguments, at.given);
  return argument ? values(argument.name(), argument.argChoices) : [];
}

function locate(program: Command, done: readonly string[], help: Help): Position {
  let command = program;
  let pending: Option | undefined;
  let given = 0;
  let config: string | undefined;
  const isConfig = (option: Option) => option.attributeName() === 'config' && program.options.includes(option);
  for (const word of done) {
    if (pending) {
      if (isConfig(pending)) config = word;
      pending = undefined;
      continue;
    }
    if (word === '--') return { command, given, rest: true, config };
    if (word.startsWith('-') && word !== '-') {
      const [flag, inline] = splitInline(word);
      const option = findOption(command, flag);
      if (option && isConfig(option) && inline !== undefined) config = inline;
      if (option?.required && inline === undefined) pending = option;
      continue;
    }
    const subcommand = help.visibleCommands(command).find((c) => c.name() === word || c.aliases().includes(word));
    if (subcommand) {
      command = subcommand;
      given = 0;
    } else given++;
  }
  return { command, pending, given, rest: false, config };
}

/** `--since=10m` → ['--since', '10m']; a short flag or a long one without `=` has no inline value. */
function splitInline(word: string): [string, string | undefined] {
  const equals = word.indexOf('=');
  return word.startsWith('--') && equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
}

/** A command's own options, then its parents' (commander accepts those after the subcommand too). */
function* optionChain(command: Command): Generator<Option> {
  for (let at: Command | null = command; at; at = at.parent) yield* at.options;
}

function findOption(command: Command, flag: string): Option | undefined {
  for (const option of optionChain(command)) if (option.long === flag || option.short === flag) return option;
  return undefined;
}

function optionsOf(command: Command, help: Help): Candidate[] {
  const seen = new Set<string>();
  const found: Candidate[] = [];
  for (let at: Command | null = command; at; at = at.parent)
    for (const option of help.visibleOptions(at)) {
      const flag = option.long ?? option.short;
      if (flag === undefined || seen.has(flag)) continue;
      seen.add(flag);
      found.push([flag, option.description]);
    }
  return found;
}

/** The `<file>` of `-c, --config <file>`. */
const optionValueName = (option: Option): string | undefined => /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(option.flags)?.[1];

/** The argument the next word fills: the next one declared, or the last again when it is variadic. */
function argumentAt(declared: readonly Argument[], given: number): Argument | undefined {
  const last = declared.at(-1);
  return declared[given] ?? (last?.variadic ? last : undefined);
}

const matching = (all: readonly Candidate[], current: string): Candidate[] => all.filter(([word]) => word.startsWith(current));
