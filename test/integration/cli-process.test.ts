/** The installed `provisioning` command as a real process: exit codes, streams, npx. */
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';

const run = promisify(execFile);

async function provisioning(args: string[], command = [process.execPath, 'bin/provisioning.js']) {
  const env = { ...process.env, PROVISIONING_HOME: tempDir('pcc-home-'), NO_COLOR: '1' };
  try {
    const { stdout, stderr } = await run(command[0]!, [...command.slice(1), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('provisioning (process)', () => {
  it('lists the demo registry through npx, as the README says', async () => {
    const { code, stdout } = await provisioning(['services', 'list'], ['npx', '--no-install', 'provisioning']);
    expect(code).toBe(0);
    expect(stdout).toContain('orchestrator');
    expect(stdout).toContain('(embedded demo registry)');
  });

  it('exits 1 with located errors on stdout for an invalid registry', async () => {
    const file = join(tempDir(), 'services.toml');
    writeFileSync(file, '[services.a]\ndeployment = { mode = "binary", binary = { command = "x" } }\ndependencies = ["ghost"]\n');
    const { code, stdout } = await provisioning(['services', 'validate', '--config', file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}:3:17 services.a.dependencies[0]: unknown service 'ghost'`);
  });

  it('exits 2 on a usage error, with the message on stderr', async () => {
    const { code, stdout, stderr } = await provisioning(['services', 'lst']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown command 'lst'");
    expect(stderr).toContain('(Did you mean list?)');
  });

  it('stops quietly when its reader closes the pipe early (… | head)', async () => {
    const child = spawn(process.execPath, ['bin/provisioning.js', 'services', 'dependencies', '--format', 'dot', '--config', 'config/services.toml'], {
      env: { ...process.env, PROVISIONING_HOME: tempDir('pcc-home-') },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
