/**
 * A rotation that cannot open its new file (no file descriptor left: a real EMFILE in a child
 * process under `prlimit --nofile`) keeps the file being written: every line is logged once, in
 * order, across the failures and after them.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { tempDir } from '../support/cli-run';

/** Writes 50 lines with every fd taken (each commit passes maxBytes: a rotation each time), then 50 with fds freed. */
const CHILD = (writer: string, dir: string) => `
import { openSync, closeSync } from 'node:fs';
import { LogWriter } from ${JSON.stringify(writer)};
const errors = [];
const files = { rawStdout: '', rawStderr: '', current: '${dir}/svc.log', rotated: (g) => '${dir}/svc.log.' + g };
const writer = new LogWriter(files, { maxBytes: 100, keep: 2 }, undefined, (error) => errors.push(error.message));
const taken = [];
for (;;) { try { taken.push(openSync('/dev/null', 'r')); } catch { break; } }
for (let i = 1; i <= 50; i++) writer.write('out', ['line ' + i + ' ' + 'x'.repeat(100)]);
taken.forEach((fd) => closeSync(fd));
for (let i = 51; i <= 100; i++) writer.write('out', ['line ' + i + ' ' + 'x'.repeat(100)]);
writer.close();
console.log(JSON.stringify(errors.slice(0, 1)));
`;

describe('log rotation', () => {
  it('keeps every line when the new file cannot be opened (EMFILE), and rotates again once it can', async () => {
    const dir = tempDir();
    const bundle = join(dir, 'log-writer.mjs');
    await build({
      entryPoints: [resolve('src-main/core/logs/log-writer.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'warning',
    });
    const logs = join(dir, 'logs');
    execFileSync('mkdir', [logs]);
    writeFileSync(join(dir, 'child.mjs'), CHILD(bundle, logs));
    const out = execFileSync('prlimit', ['--nofile=64:64', process.execPath, join(dir, 'child.mjs')], { encoding: 'utf8' });
    expect(JSON.parse(out)[0]).toMatch(/^cannot rotate .*svc\.log: EMFILE/);
    // keep = 2: the last three files hold the newest lines, whole and in order, ending with line 100.
    const lines = await tailLog(logFiles(logs, 'svc'));
    expect(lines.at(-1)?.text).toMatch(/^line 100 /);
    lines.forEach((line, i) => expect(line.seq).toBe(lines[0]!.seq + i));
    lines.forEach((line) => expect(line.text).toBe(`line ${line.seq} ${'x'.repeat(100)}`));
    // Rotation resumed: the current file is small again, not every line since the failure.
    expect((await tailLog({ ...logFiles(logs, 'svc'), rotated: () => join(logs, 'none') })).length).toBeLessThanOrEqual(1);
  });
});
