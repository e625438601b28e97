/**
 * `provisioning completion`: the bash script sourced in a real interactive bash on a terminal (a pty
 * made by `script`), completing on real Tab presses against the real CLI; fish's script through
 * fish's own completer; zsh's parsed. None of it starts a daemon.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
/** A shell this machine lacks is said, in one line, never skipped silently; in CI (`npm run infra` installs them) it fails. */
const needs = (program: string) => {
  const missing = !has(program);
  if (missing && process.env['CI'] === 'true') throw new Error(`shell-completion: ${program} is not installed: run npm run infra`);
  if (missing) console.warn(`shell-completion: SKIPPED the ${program} test: ${program} is not installed (apt-get install ${program})`);
  return missing;
};

const sleeper = ['-e', 'setInterval(() => {}, 1e9)'];
const registry = [
  nodeService('alpha', sleeper, 'required_for = ["test", "server"]'),
  nodeService('beta', sleeper, 'required_for = ["test"]'),
  nodeService('gamma', sleeper),
].join('');

let h: Home;
let env: NodeJS.ProcessEnv;
let scripts: string;

beforeAll(async () => {
  h = privateHome(registry);
  // `provisioning` on the PATH, as an installed CLI is: the scripts call it by name.
  const bin = tempDir('pcc-bin-');
  writeFileSync(
    join(bin, 'provisioning'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(process.cwd(), 'bin', 'provisioning.js'))} "$@"\n`,
  );
  chmodSync(join(bin, 'provisioning'), 0o755);
  env = { ...process.env, PATH: `${bin}:${process.env['PATH']}`, PROVISIONING_HOME: h.home, PROVISIONING_CONFIG: h.registry, NO_COLOR: '1', TERM: 'dumb' };
  scripts = tempDir('pcc-completion-');
  for (const shell of ['bash', 'zsh', 'fish']) {
    const { code, stdout } = await h.run(['completion', shell]);
    expect(code).toBe(0);
    writeFileSync(join(scripts, shell), stdout);
  }
});
afterAll(() => h.cleanup());

/** An interactive shell on a pty: type into it, and wait for what it shows. */
function terminal(shell: string) {
  const child = spawn('script', ['-qfc', shell, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const exited = new Promise((resolve) => child.on('close', resolve));
  return {
    type: (text: string) => child.stdin.write(text),
    /** The screen from `from` on, once it matches. */
    shows: (pattern: RegExp, from = 0) => waitFor(() => pattern.exec(screen.slice(from))),
    get length() {
      return screen.length;
    },
    close: async () => {
      child.stdin.end('\x15exit\n');
      await exited;
    },
  };
}

describe('shell completion', () => {
  it.skipIf(needs('script'))('bash: Tab completes subcommands and the registry’s service names in a real interactive bash', async () => {
    const bash = terminal('bash --norc --noprofile -i');
    try {
      // $((6*7)) shows as 42 only once bash has run the line, not when the terminal echoes it.
      bash.type(`source ${join(scripts, 'bash')}; echo ready-$((6*7))\n`);
      await bash.shows(/ready-42/);
      let mark = bash.length;
      bash.type('provisioning services st\t\t');
      await bash.shows(/start +status +stop/, mark);
      bash.type(`\x15echo next-$((2*3))\n`);
      await bash.shows(/next-6/, mark);
      mark = bash.length;
      bash.type('provisioning services start \t\t');
      await bash.shows(/alpha +beta +gamma/, mark);
      // One candidate is completed in place: the operation `server` after `check se`.
      bash.type('\x15provisioning services check se\t');
      await bash.shows(/check server/, mark);
    } finally {
      await bash.close();
    }
    expect(await h.daemonPid()).toBeUndefined();
  });

  it.skipIf(needs('fish'))('fish: its completer offers subcommands, options with their help, and service and operation names', () => {
    const complete = (line: string) =>
      execFileSync('fish', ['--no-config', '-c', `source ${join(scripts, 'fish')}; complete -C ${JSON.stringify(line)}`], { env, encoding: 'utf8' })
        .trim()
        .split('\n');
    expect(complete('provisioning services st').map((l) => l.split('\t')[0])).toEqual(['start', 'status', 'stop']);
    expect(complete('provisioning services logs alpha --st')).toEqual([expect.stringMatching(/^--stream\tonly these streams/)]);
    expect(complete('provisioning platform start alpha ')).toEqual(['alpha', 'beta', 'gamma']);
    expect(complete('provisioning services check ')).toEqual(['server', 'test']);
  });

  it.skipIf(needs('zsh') || needs('script'))('zsh: the script parses, and Tab completes with descriptions in a real interactive zsh', async () => {
    expect(spawnSync('zsh', ['-n', join(scripts, 'zsh')], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
    const zsh = terminal('zsh -f -i');
    try {
      zsh.type(`autoload -Uz compinit && compinit -u; source ${join(scripts, 'zsh')}; echo ready-$((6*7))\n`);
      await zsh.shows(/ready-42/);
      let mark = zsh.length;
      zsh.type('provisioning services st\t');
      await zsh.shows(/start +-- start a service[^]*status +-- state, pid[^]*stop +-- stop a service/, mark);
      zsh.type(`\x15\necho next-$((2*3))\n`);
      await zsh.shows(/next-6/, mark);
      mark = zsh.length;
      zsh.type('provisioning services stop \t');
      await zsh.shows(/alpha +beta +gamma/, mark);
    } finally {
      await zsh.close();
    }
  });
});
