/**
 * The log shim between a binary service and its raw files, on real processes: the service gets real
 * pipes (reopening /dev/stdout works), a raw file that cannot be written costs counted bytes, never
 * the service, a shim that cannot start fails the start, and a deleted raw file is made again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noPunchFlag } from '../../src-main/core/logs/log-caps';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { stateDirs } from '../../src-main/core/state/state-store';
import { tempDir } from '../support/cli-run';
import { harness, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open, track } = harnesses();
const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir]);
});

const shService = (script: string) =>
  ['[services.svc]', '[services.svc.deployment]', 'mode = "binary"', `binary = { command = "sh", args = ["-c", ${JSON.stringify(script)}] }`, ''].join('\n');
const logged = async (home: string) => (await tailLog(logFiles(stateDirs(home).logs, 'svc'))).map((line) => `${line.stream} ${line.text}`);

describe('log shim', () => {
  it('gives the service real pipes: output written by reopening /dev/stdout and /dev/stderr is logged', async () => {
    const h = await open(shService('echo out > /dev/stdout; echo err > /dev/stderr; echo proc > /proc/self/fd/1; sleep 30'));
    await h.engine.start('svc');
    const lines = await waitFor(async () => {
      const all = await logged(h.home);
      return all.includes('out out') && all.includes('err err') && all.includes('out proc') && all;
    });
    expect(lines.filter((line) => !line.startsWith('evt'))).toEqual(expect.arrayContaining(['out out', 'err err', 'out proc']));
  });

  it('survives a raw file it cannot write: the service lives on, the bytes over what it holds are counted with the reason', async () => {
    const home = tempDir();
    const raw = logFiles(stateDirs(home).logs, 'svc').rawStdout;
    // 2 MiB on stdout while its raw file is a directory (its 1 MiB hold fills), then, as soon as the
    // file can be made again (before the shim's next retry), a line longer than one 64 KiB pipe read,
    // so that whatever room the hold has left cannot take all of it: none of it may be dropped. (The
    // busy wait lasts until the test sees `waiting`: a sleep would let the retry come first.)
    const after = `after ${'0'.repeat(70_000)}`;
    const script = `head -c 2097152 /dev/zero | tr '\\0' x; echo; echo waiting >&2; while [ -d ${raw} ]; do :; done; printf 'after %070000d\\n' 0`;
    const h = track(await harness(shService(script), home));
    mkdirSync(raw);
    await h.engine.start('svc');
    await waitFor(async () => (await logged(h.home)).includes('err waiting'));
    rmdirSync(raw);
    const lines = await waitFor(async () => {
      const all = await logged(h.home);
      return all.includes(`out ${after}`) && all.some((line) => line.startsWith('evt stopped: exited')) && all;
    });
    expect(lines.find((line) => / bytes of stdout dropped: /.test(line))).toMatch(
      /^evt \d+ bytes of stdout dropped: its raw file could not be written \(EISDIR\)$/,
    );
    // It ended on its own, not by SIGPIPE.
    expect(lines.find((line) => line.startsWith('evt stopped: exited'))).toBe('evt stopped: exited with code 0');
  });

  it('fails the start, saying so, when the shim cannot be started (logs folder read-only)', async () => {
    const h = await open(shService('echo never; sleep 30'));
    const logs = stateDirs(h.home).logs;
    mkdirSync(logs, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m,mode=0700', 'tmpfs', logs]);
    mounted.push(logs);
    const status = await h.engine.start('svc');
    expect(status.state).toBe('failed');
    expect(status.reason).toMatch(/^could not start the log shim: /);
    expect(h.processes('svc')).toEqual([]);
  });

  it('makes a deleted raw file again: output after the deletion is logged', async () => {
    const h = await open(shService('i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done'));
    await h.engine.start('svc');
    const seen = await waitFor(async () => (await logged(h.home)).filter((line) => line.startsWith('out tick')).length > 2);
    expect(seen).toBe(true);
    const files = logFiles(stateDirs(h.home).logs, 'svc');
    rmSync(files.rawStdout);
    const last = Number(
      (await logged(h.home))
        .filter((line) => line.startsWith('out tick'))
        .at(-1)!
        .split(' ')[2],
    );
    // A tick written well after the deletion (the shim looks once a second) reaches the log.
    await waitFor(async () => (await logged(h.home)).some((line) => line.startsWith('out tick') && Number(line.split(' ')[2]) > last + 40), 20_000);
  });

  it('keeps output when holes cannot be punched (an fallocate without --punch-hole): warns, flags, and logs past the cap', async () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'fallocate'), '#!/bin/sh\necho "fallocate: unrecognized option \'--punch-hole\'" >&2\nexit 1\n', { mode: 0o755 });
    const path = process.env['PATH'];
    process.env['PATH'] = `${bin}:${path}`;
    try {
      const home = tempDir('pcc-engine-');
      const flag = noPunchFlag(logFiles(stateDirs(home).logs, 'svc').rawStdout);
      // 16 MiB, then (once the owner flagged the file, or after 20 s) 24 MiB more: past the 32 MiB cap, then 'end'.
      const writer = [
        `const fs = require('fs'); const line = 'y'.repeat(1023) + '\\n'; const mib = line.repeat(1024);`,
        `const write = (n) => { for (let i = 0; i < n; i++) fs.writeSync(1, mib); };`,
        `write(16); const until = Date.now() + 20000; while (!fs.existsSync(${JSON.stringify(flag)}) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);`,
        `write(24); fs.writeSync(1, 'end\\n'); setInterval(() => {}, 1000);`,
      ].join(' ');
      const h = track(await harness(nodeService('svc', ['-e', writer]), home));
      await h.engine.start('svc');
      await waitFor(async () => (await tailLog(logFiles(stateDirs(h.home).logs, 'svc'), 3)).some((line) => line.text === 'end'), 60_000);
      expect(existsSync(flag)).toBe(true);
      expect(h.engine.warnings.join('\n')).toMatch(/cannot punch holes, so its 32 MiB backlog cap is not enforced/);
      const all = await tailLog(logFiles(stateDirs(h.home).logs, 'svc'));
      expect(all.filter((line) => / bytes of stdout dropped/.test(line.text))).toEqual([]);
    } finally {
      process.env['PATH'] = path;
    }
  }, 90_000);
});
