/**
 * `daemon install|uninstall`: the login service of this home (login-service.ts). On Linux the unit
 * is enabled with systemctl, which makes its links itself when no user manager answers (a
 * container, an SSH session without lingering); a manager that answers is reloaded to see it.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../core/paths';
import { writeFileAtomic } from '../../core/state/atomic-write';
import { daemonLogPath } from '../../daemon/daemon-paths';
import {
  launchdAgent,
  launchdAgentPath,
  launchdLabel,
  loginCommand,
  loginServiceName,
  systemdUnit,
  systemdUnitPath,
  type LoginPlatform,
  type LoginServiceInput,
} from '../../daemon/login-service';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

interface Target {
  readonly platform: LoginPlatform;
  /** The unit's name (systemd) or the agent's label (launchd). */
  readonly name: string;
  readonly file: string;
}

export async function daemonInstall(ctx: CommandContext): Promise<void> {
  const target = targetOf(ctx);
  // An invalid registry would fail at every login: said now, with its problems.
  const { loaded } = await ctx.registry();
  const explicit = loaded.location.source === 'flag' || loaded.location.source === 'env';
  const input: LoginServiceInput = {
    home: ctx.home,
    defaultHome: isDefaultHome(ctx.home),
    ...(explicit ? { registry: loaded.location.path } : {}),
    node: process.execPath,
    cli: join(packageRoot(), 'bin', 'provisioning.js'),
    env: ctx.io.env,
  };
  const text = target.platform === 'systemd' ? systemdUnit(input) : launchdAgent(input, target.name, daemonLogPath(ctx.home));
  const before = await readFile(target.file, 'utf8').catch(() => undefined);
  await mkdir(dirname(target.file), { recursive: true });
  // Not private: it holds paths only, and the service manager reads it.
  if (before !== text) await writeFileAtomic(target.file, text, 0o644);
  // A manager that answers is told of the new file; systemctl makes the links itself when none does (it reads them at login).
  const reload = target.platform === 'systemd' ? await systemctl(['daemon-reload']) : undefined;
  const enabled = target.platform === 'systemd' ? await systemctl(['enable', `${target.name}.service`]) : undefined;
  const next = nextSteps(target, enabled, reload);
  if (ctx.options.json)
    return ctx.json({
      platform: target.platform,
      name: target.name,
      file: target.file,
      home: ctx.home,
      registry: input.registry ?? null,
      command: loginCommand(input),
      changed: before !== text,
      enabled: enabled?.ok ?? false,
      ...(enabled && !enabled.ok ? { enableFailed: enabled.message } : {}),
      ...(reload ? { managerReloaded: reload.ok } : {}),
      next,
    });
  ctx.out(`${before === undefined ? 'wrote' : before === text ? 'already installed:' : 'updated'} ${target.file}`);
  ctx.out(`  runs: ${loginCommand(input).join(' ')}`);
  ctx.out(`  for the home ${ctx.home}, registry ${input.registry ?? 'as discovered at each start (settings, ~/.provisioning/config/services.toml, the demo)'}`);
  if (enabled?.ok) ctx.out(`enabled ${target.name}.service: it starts at your next login`);
  else if (enabled) ctx.out(`not enabled: \`systemctl --user enable\` failed (${enabled.message})`);
  if (reload && !reload.ok) ctx.out(`no systemd user manager answers here (${reload.message}); the next one reads the unit when it starts`);
  ctx.out(next);
}

export async function daemonUninstall(ctx: CommandContext): Promise<void> {
  const target = targetOf(ctx);
  if (!existsSync(target.file)) {
    if (ctx.options.json) return ctx.json({ platform: target.platform, name: target.name, file: target.file, removed: false });
    return ctx.out(`no login service is installed for ${ctx.home} (no ${target.file})`);
  }
  // Disabled before the file goes: systemctl reads its [Install] section to find the links it made.
  const disabled = target.platform === 'systemd' ? await systemctl(['disable', `${target.name}.service`]) : await launchctlBootout(target.name);
  await rm(target.file, { force: true });
  if (target.platform === 'systemd') await systemctl(['daemon-reload']);
  if (ctx.options.json) return ctx.json({ platform: target.platform, name: target.name, file: target.file, removed: true, disabled: disabled.ok });
  ctx.out(`removed ${target.file}`);
  if (disabled.ok)
    ctx.out(
      `${target.platform === 'systemd' ? `disabled ${target.name}.service` : `unloaded ${target.name}`}; a daemon it started runs until it is idle or \`provisioning daemon stop\``,
    );
  else if (target.platform === 'systemd')
    ctx.out(`could not disable ${target.name}.service (${disabled.message}); with its file gone it no longer starts at login`);
}

function targetOf(ctx: CommandContext): Target {
  const name = loginServiceName(ctx.home, isDefaultHome(ctx.home));
  const userHome = homedir();
  if (process.platform === 'linux') return { platform: 'systemd', name, file: systemdUnitPath(ctx.io.env, userHome, name) };
  if (process.platform === 'darwin') {
    const label = launchdLabel(name);
    return { platform: 'launchd', name: label, file: launchdAgentPath(userHome, label) };
  }
  ctx.err(
    ctx.paint.red(`a login service is written for Linux (systemd) and macOS (launchd), not ${process.platform}: use the desktop app's "Open at login" setting`),
  );
  throw new CliExit(EXIT.invalid);
}

function isDefaultHome(home: string): boolean {
  const standard = join(homedir(), '.provisioning');
  try {
    return realpathSync(standard) === home;
  } catch {
    return false;
  }
}

interface Outcome {
  readonly ok: boolean;
  /** The tool's first line of complaint when it failed. */
  readonly message: string;
}

function run(command: string, args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 15_000 }, (error, _stdout, stderr) => {
      const said = stderr.trim().split('\n')[0] || error?.message || '';
      resolve({ ok: !error, message: error && (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed` : said });
    }),
  );
}

const systemctl = (args: readonly string[]): Promise<Outcome> => run('systemctl', ['--user', ...args]);

function launchctlBootout(label: string): Promise<Outcome> {
  return run('launchctl', ['bootout', `gui/${process.getuid?.() ?? 0}/${label}`]);
}

/** What the person does next: start it now, or enable it where a user manager runs. */
function nextSteps(target: Target, enabled: Outcome | undefined, reload: Outcome | undefined): string {
  if (target.platform === 'launchd') return `it loads at your next login; \`launchctl bootstrap gui/$(id -u) ${target.file}\` loads it now`;
  if (enabled?.ok && !reload?.ok) return `\`systemctl --user start ${target.name}.service\` starts it now where your user manager runs`;
  if (enabled?.ok) return `\`systemctl --user start ${target.name}.service\` starts it now; \`journalctl --user -u ${target.name}\` shows its log`;
  return `in your login session run: systemctl --user daemon-reload && systemctl --user enable --now ${target.name}.service`;
}
