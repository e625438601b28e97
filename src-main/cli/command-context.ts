/**
 * What every command gets: global options, output helpers, and the registry (loaded on demand).
 * Only what every command needs is imported here: loading and validating the registry (its schemas,
 * TOML) is imported when a command asks for it, and a command served by a running owner
 * (`ownerRegistry`) never loads it at all.
 */
import type { OverriddenValue, Registry, ServiceDefinition } from '@shared/model';
import { suggestion } from '@shared/model/did-you-mean';
import { formatIssue, type LocatedIssue } from '@shared/model/registry-issue';
import { dirname, join } from 'node:path';
import { packageRoot, provisioningHome, resolveHome } from '../core/paths';
import { referencedEnv } from '../core/drivers/env-references';
import type { RegistryLocation } from '../core/registry/discovery-order';
import type { LoadedRegistry } from '../core/registry/load-registry';
import { displayPathOf } from '../core/registry/registry-naming';
import { daemonSocketPath } from '../daemon/daemon-paths';
import { answerDeadline, connectToOwner, OwnerClient } from '../daemon/owner-client';
import { CliExit, EXIT, type CliIo } from './cli-io';
import { locateRegistry } from './registry-location';
import { colorEnabled, palette, type Palette } from './output/palette';
import { renderTable } from './output/table';

export interface GlobalOptions {
  readonly config?: string;
  /** `--override <file>`, repeatable: merged over the registry in order (instead of services.local.toml). */
  readonly override?: readonly string[];
  readonly json: boolean;
  readonly color: boolean;
}

export class CommandContext {
  readonly paint: Palette;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {
    this.paint = palette(colorEnabled(io.stdout.isTTY, io.env, options.color));
  }

  out(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** Aligned columns, cut to the terminal's width when printing to one. */
  table(header: readonly string[], rows: readonly (readonly string[])[]): void {
    this.out(this.tableText(header, rows));
  }

  tableText(header: readonly string[], rows: readonly (readonly string[])[]): string {
    return renderTable(header.map(this.paint.dim), rows, { width: this.io.stdout.isTTY ? this.io.stdout.columns : undefined });
  }

  /** Says which service is unknown, with a suggestion, and ends the command with exit 1. */
  unknownService(name: string, known: readonly string[], what = 'service'): never {
    this.err(this.paint.red(`unknown ${what} '${name}'${suggestion(name, known)}`));
    throw new CliExit(EXIT.invalid);
  }

  /** Discovers and loads the registry without judging it. */
  async loadRegistry(): Promise<LoadedRegistry> {
    const [{ discoverRegistry }, { loadRegistry }] = await Promise.all([
      import('../core/registry/discover-registry'),
      import('../core/registry/load-registry'),
    ]);
    return loadRegistry(discoverRegistry(this.#discovery), this.io.cwd);
  }

  /** The valid registry; otherwise its problems go to stderr and the command exits 1. */
  async registry(): Promise<{ loaded: LoadedRegistry; registry: Registry }> {
    const loaded = await this.loadRegistry();
    this.#judge(loaded.displayPath, loaded.issues, loaded.registry !== undefined);
    return { loaded, registry: loaded.registry! };
  }

  /**
   * The valid registry as the running owner of it reads the file now, and that owner's client: the
   * command parses nothing itself. Undefined — the command then does as without an owner — when no
   * owner of this registry runs, when it is too old to say, and when it finds the file invalid
   * (`registry()` then says why, naming the file as this command found it). `ahead`: the command's
   * own calls, sent in the same round trip; their answer (or failure) is the command's only when
   * this owner serves it, and is dropped otherwise.
   */
  async ownerRegistry<A = never>(
    ahead?: (client: OwnerClient) => Promise<A>,
  ): Promise<
    | {
        client: OwnerClient;
        location: RegistryLocation;
        displayPath: string;
        services: readonly ServiceDefinition[];
        overridden: readonly OverriddenValue[];
        ahead?: A;
      }
    | undefined
  > {
    const location = await locateRegistry(this.#discovery);
    const client = await this.runningOwner();
    if (!client) return undefined;
    // Asked together (one round trip): the file is of use only when the owner runs this registry.
    const answers = Promise.all([
      client.call('hello'),
      client.call('definitions').catch((error: Error) => {
        if (error.name === 'ProtocolError' && error.message === "unknown method 'definitions'") return undefined;
        throw error;
      }),
    ]);
    const asked = ahead?.(client);
    asked?.catch(() => undefined);
    const [owner, read] = await answers;
    const sameOverrides = (owner.overrides ?? []).join('\0') === (location.overrides ?? []).join('\0');
    if (owner.registry !== location.path || !sameOverrides || !read?.services) return undefined;
    // The owner names the file from its own working directory; this command names it from its own.
    const displayPath = displayPathOf(location.path, this.io.cwd);
    this.#judge(
      displayPath,
      read.issues.map((issue) => (issue.file === read.file ? { ...issue, file: displayPath } : issue)),
      true,
    );
    return { client, location, displayPath, services: read.services, overridden: read.overridden ?? [], ...(asked ? { ahead: await asked } : {}) };
  }

  get #discovery() {
    return { flag: this.options.config, overrides: this.options.override, env: this.io.env, cwd: this.io.cwd };
  }

  /** A valid file's warnings (unless --json) go to stderr; an invalid one's problems too, and the command exits 1. */
  #judge(displayPath: string, issues: readonly LocatedIssue[], valid: boolean): void {
    if (valid && this.options.json) return;
    this.printIssues(issues, (line) => this.err(line));
    if (valid) return;
    this.err(this.paint.red(`✗ cannot use ${displayPath}; \`provisioning services validate\` re-checks it after a fix`));
    throw new CliExit(EXIT.invalid);
  }

  /** The home's real path (created 0700 when missing), refused when it is not private to us. */
  get home(): string {
    return (this.#home ??= resolveHome(provisioningHome(this.io.env)));
  }

  #home: string | undefined;

  /** A client of the owner of the home if one runs (none is started); closed when the command ends. */
  async runningOwner(): Promise<OwnerClient | undefined> {
    const client = await OwnerClient.connectIfRunning(daemonSocketPath(this.home), { answerDeadlineMs: answerDeadline(this.io.env) });
    if (client) this.#clients.push(client);
    return client;
  }

  /** A client of the engine that owns supervision, started on demand; closed when the command ends. */
  async owner(): Promise<{ client: OwnerClient; registry: Registry }> {
    const { loaded, registry } = await this.registry();
    const client = await connectToOwner({
      home: this.home,
      registryPath: loaded.location.path,
      registrySource: loaded.location.source,
      ...(loaded.location.overrides ? { overrides: loaded.location.overrides } : {}),
      env: this.io.env,
      cli: join(packageRoot(), 'bin', 'provisioning.js'),
    });
    this.#clients.push(client);
    return { client, registry };
  }

  /** What a health check run from the CLI needs: placeholders and env references resolve as in the engine. */
  /** A check run here, by this command: its env references read this shell's values, as a start would send them. */
  checkContext(loaded: LoadedRegistry): { home: string; registryDir: string; env: CliIo['env']; given: Record<string, string> } {
    const given = loaded.registry ? referencedEnv(loaded.registry, this.io.env) : {};
    return { home: this.home, registryDir: dirname(loaded.location.path), env: this.io.env, given };
  }

  /** Closes what the command opened. */
  dispose(): void {
    this.#clients.forEach((client) => client.close());
  }

  readonly #clients: OwnerClient[] = [];

  printIssues(issues: readonly LocatedIssue[], write: (line: string) => void): void {
    for (const issue of issues) {
      write(issue.severity === 'error' ? this.paint.red(formatIssue(issue)) : this.paint.yellow(formatIssue(issue)));
    }
  }
}
