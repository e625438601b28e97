/** `services monitor` as a real process: one line per change of result, Ctrl-C ends it cleanly. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

describe('services monitor', () => {
  it('prints a line when a result changes, and exits 0 on Ctrl-C', async () => {
    const dir = tempDir();
    const flag = join(dir, 'up');
    const registry = join(dir, 'services.toml');
    writeFileSync(
      registry,
      `[services.svc]\ndeployment = { mode = "binary", binary = { command = "true" } }\nhealth_check = { type = "file", file = { path = ${JSON.stringify(flag)} } }\n`,
    );
    const child = spawn(process.execPath, ['bin/provisioning.js', 'services', 'monitor', '--interval', '1', '--json', '--config', registry], {
      env: { ...process.env, PROVISIONING_HOME: join(dir, 'home') },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('"ok":false'));
    writeFileSync(flag, 'up');
    await waitFor(() => output.includes('"ok":true'), 5_000);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; ok: boolean });
    expect(lines.map((l) => `${l.name} ${l.ok}`)).toEqual(['svc false', 'svc true']);
  });

  it('refuses an interval longer than the timers hold, before checking anything', async () => {
    // Before: accepted, and the wait overflowed Node's timer into a 1 ms spin.
    const result = await cli(['services', 'monitor', '--interval', String(2_073_601)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--interval takes at most 2073600 (576h): longer waits overflow the timers');
    expect(result.stdout).toBe('');
  });
});
