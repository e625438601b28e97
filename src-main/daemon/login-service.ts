/**
 * The login service that runs `provisioning daemon run` for one home when the user logs in: a
 * systemd user unit on Linux, a launchd agent on macOS. Pure: names and file contents only
 * (daemon-install.ts writes them and talks to systemctl).
 *
 * It runs the absolute node and CLI entry (no shell), with the home and registry it was installed
 * with. Its environment holds locations only — never a value of the installing shell that may be a
 * secret: env references travel with each start (caller-env.ts), as for a daemon the CLI starts.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export type LoginPlatform = 'systemd' | 'launchd';

export interface LoginServiceInput {
  /** The home's real path. */
  readonly home: string;
  /** Whether it is the default home (~/.provisioning): that one gets the plain name. */
  readonly defaultHome: boolean;
  /** The registry named by --config or PROVISIONING_CONFIG; absent: discovered at each start, as by the CLI. */
  readonly registry?: string;
  /** Absolute paths of node and of the CLI entry (bin/provisioning.js). */
  readonly node: string;
  readonly cli: string;
  /** The installing environment: only LOGIN_ENVIRONMENT is read from it. */
  readonly env: Env;
}

/**
 * What the daemon needs besides the home and registry, taken from the installing shell: where its
 * tools are (PATH) and which engines they talk to. All locations; credentials of these tools live
 * in their own config files, which these name.
 */
export const LOGIN_ENVIRONMENT = [
  'PATH',
  'PROVISIONING_PROCESS_TRACKING',
  'PROVISIONING_OWNERS_DIR',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'KUBECONFIG',
] as const;

/** `provisioning` for the default home, `provisioning-<hash of the home>` for any other: several homes coexist. */
export function loginServiceName(home: string, defaultHome: boolean): string {
  return defaultHome ? 'provisioning' : `provisioning-${createHash('sha256').update(home).digest('hex').slice(0, 12)}`;
}

/** The environment the daemon runs with, in a stable order. */
export function loginEnvironment(input: LoginServiceInput): [string, string][] {
  const pairs: [string, string][] = [['PROVISIONING_HOME', input.home]];
  if (input.registry) pairs.push(['PROVISIONING_CONFIG', input.registry]);
  for (const name of LOGIN_ENVIRONMENT) {
    const value = input.env[name];
    if (value) pairs.push([name, value]);
  }
  return pairs;
}

/** The argv it runs. */
export const loginCommand = (input: LoginServiceInput): string[] => [input.node, input.cli, 'daemon', 'run'];

/** Where the unit goes: `$XDG_CONFIG_HOME/systemd/user` (default ~/.config). */
export function systemdUnitPath(env: Env, userHome: string, name: string): string {
  const config = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(userHome, '.config');
  return join(config, 'systemd', 'user', `${name}.service`);
}

/** Where the agent goes: ~/Library/LaunchAgents/<label>.plist. */
export const launchdAgentPath = (userHome: string, label: string): string => join(userHome, 'Library', 'LaunchAgents', `${label}.plist`);

/** The agent's label: reverse-DNS as launchd wants, from the app's id. */
export const launchdLabel = (name: string): string => `dev.provisioning.${name === 'provisioning' ? 'daemon' : name.replace(/^provisioning-/, 'daemon.')}`;

/** A path or value that no unit syntax can carry faithfully (a line break, a control character). */
export class LoginServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginServiceError';
  }
}

function checked(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new LoginServiceError(`${what} holds a control character (a line break?): a login service cannot carry it; use a path without one`);
  return value;
}

/**
 * One word of a systemd command line or assignment, quoted: `\` and `"` escaped, `%` doubled
 * (specifiers), and in ExecStart's arguments `$` doubled (variable expansion; not in its executable).
 */
function systemdQuoted(value: string, dollar: boolean): string {
  let text = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%');
  if (dollar) text = text.replace(/\$/g, '$$$$');
  return `"${text}"`;
}

/**
 * The systemd user unit. Restart=on-failure: the daemon exiting by itself once nothing is wanted
 * (exit 0, see run-daemon.ts) is done, not failed. KillMode=process: stopping the unit ends the
 * daemon only; its services keep running and the next owner adopts them, as with `daemon stop`.
 */
export function systemdUnit(input: LoginServiceInput): string {
  const [node, ...args] = loginCommand(input);
  // systemd takes the executable's path literally, and refuses one with quotes or backslashes (seen with systemd-analyze verify).
  if (/["'\\]/.test(node!))
    throw new LoginServiceError(`systemd refuses an executable path with quotes or backslashes (${node}): run the install with a node from another folder`);
  const command = [systemdQuoted(checked(node!, 'the node path'), false), ...args.map((word) => systemdQuoted(checked(word, 'the CLI path'), true))];
  const environment = loginEnvironment(input).map(([name, value]) => `Environment=${systemdQuoted(`${name}=${checked(value, name)}`, false)}`);
  return [
    '# Written by `provisioning daemon install`; `provisioning daemon uninstall` removes it.',
    '[Unit]',
    `Description=${`provisioning daemon for ${checked(input.home, 'the home')}`.replace(/%/g, '%%')}`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${command.join(' ')}`,
    ...environment,
    'Restart=on-failure',
    'RestartSec=5',
    'KillMode=process',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlString = (text: string, what: string): string => `<string>${xml(checked(text, what))}</string>`;

/**
 * The launchd agent: loaded at login (RunAtLoad), started again only when it failed (KeepAlive with
 * SuccessfulExit false: an idle exit is done). Its output goes to the daemon's log.
 */
export function launchdAgent(input: LoginServiceInput, label: string, logPath: string): string {
  const args = loginCommand(input).map((word) => `      ${xmlString(word, 'the command')}`);
  const env = loginEnvironment(input).flatMap(([name, value]) => [`      <key>${xml(name)}</key>`, `      ${xmlString(value, name)}`]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `provisioning daemon install`; `provisioning daemon uninstall` removes it. -->',
    '<plist version="1.0">',
    '  <dict>',
    '    <key>Label</key>',
    `    ${xmlString(label, 'the label')}`,
    '    <key>ProgramArguments</key>',
    '    <array>',
    ...args,
    '    </array>',
    '    <key>EnvironmentVariables</key>',
    '    <dict>',
    ...env,
    '    </dict>',
    '    <key>RunAtLoad</key>',
    '    <true/>',
    '    <key>KeepAlive</key>',
    '    <dict>',
    '      <key>SuccessfulExit</key>',
    '      <false/>',
    '    </dict>',
    '    <key>StandardOutPath</key>',
    `    ${xmlString(logPath, 'the log path')}`,
    '    <key>StandardErrorPath</key>',
    `    ${xmlString(logPath, 'the log path')}`,
    '  </dict>',
    '</plist>',
    '',
  ].join('\n');
}
