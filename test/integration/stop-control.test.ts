/**
 * Stop control and hooks on real processes: `stop_signal` (a program that only stops on SIGINT
 * stops cleanly, no SIGKILL), an exit by the stop signal's conventional code is no failure,
 * `stop_command` runs first in the service's environment, `pre_start` / `post_start` / `pre_stop`
 * run with their output in the service's log, and a failing `pre_start` fails the start with it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../src-shared/model';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { tempDir } from '../support/cli-run';
import { alive, harnesses, nodeService, waitFor } from '../support/engine-harness';

const { open } = harnesses();

/** A dev server: ignores SIGTERM, and on SIGINT says so and exits 130 (as Node and the JVM do). */
const INT_ONLY =
  'process.on("SIGTERM", () => console.log("ignoring SIGTERM")); process.on("SIGINT", () => { console.log("got SIGINT"); process.exit(130); }); console.log("ready"); setInterval(() => {}, 1000)';

const logLines = async (home: string, name: string) => (await tailLog(logFiles(join(home, 'services', 'logs'), name), 500)).map((l) => l.text);

describe('stop control', () => {
  it('stops with stop_signal = "INT": the program ends cleanly by itself, without SIGKILL', async () => {
    const h = await open(nodeService('dev', ['-e', INT_ONLY], '', 'stop_signal = "INT"\nstop_timeout = "20s"'));
    const started = await h.engine.start('dev');
    await waitFor(async () => (await logLines(h.home, 'dev')).includes('ready'));
    const stopped = await h.engine.stop('dev');
    expect(stopped).toMatchObject({ state: 'stopped', reason: 'stopped by user', lastExit: { code: 130 } });
    expect(alive(started.pid!)).toBe(false);
    const lines = await logLines(h.home, 'dev');
    expect(lines).toContain('got SIGINT');
    expect(lines).not.toContain('ignoring SIGTERM');
  });

  it('counts an exit by the stop signal’s conventional code (143 for TERM) as clean: stopped, not failed and restarted', async () => {
    const script = 'process.on("SIGTERM", () => process.exit(143)); console.log("ready"); setInterval(() => {}, 1000)';
    const h = await open(nodeService('jvm', ['-e', script], '', 'restart = "on-failure"\nrestart_delay = "100ms"'));
    const started = await h.engine.start('jvm');
    await waitFor(async () => (await logLines(h.home, 'jvm')).includes('ready'));
    // Someone else (a shutdown, an operator) sends it SIGTERM: it ends as it does on any clean stop.
    process.kill(started.pid!, 'SIGTERM');
    const ended = await waitFor(() => h.events.find((s) => s.state === 'stopped' || s.state === 'failed'));
    expect(ended).toMatchObject({ state: 'stopped', reason: 'exited with code 143', lastExit: { code: 143 } });
    expect(h.events.map((s) => s.state)).not.toContain('restarting');
  });

  it('runs pre_stop, then stop_command in the service’s environment, before any signal; output in the service’s log', async () => {
    const dir = tempDir('pcc-stop-');
    const flag = join(dir, 'stop-now');
    // Ignores every signal but KILL; ends only when its stop file appears.
    const script = `for (const s of ["SIGTERM","SIGINT"]) process.on(s, () => console.log("signalled " + s)); const f = process.env.STOP_FLAG; require("fs").writeFileSync(f + ".pid", String(process.pid)); console.log("ready"); setInterval(() => { if (require("fs").existsSync(f)) { console.log("stop file seen"); process.exit(0); } }, 20)`;
    const text = [
      '[services.hooked]',
      '[services.hooked.deployment]',
      'mode = "binary"',
      `binary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify(['-e', script])}, env = { STOP_FLAG = ${JSON.stringify(flag)} } }`,
      '[services.hooked.startup]',
      'stop_timeout = "20s"',
      `pre_start = "echo preparing $STOP_FLAG"`,
      `post_start = { command = "echo launched", timeout = "5s" }`,
      `pre_stop = "echo draining"`,
      // As a stop command should, it returns once the service has ended (what still runs then gets the stop signal).
      `stop_command = { command = "touch \\"$STOP_FLAG\\"; while kill -0 $(cat \\"$STOP_FLAG.pid\\") 2>/dev/null; do sleep 0.02; done; echo asked to stop", timeout = "10s" }`,
      '',
    ].join('\n');
    const h = await open(text);
    await h.engine.start('hooked');
    await waitFor(async () => (await logLines(h.home, 'hooked')).includes('[post_start] launched'));
    const stopped = await h.engine.stop('hooked');
    expect(stopped).toMatchObject({ state: 'stopped', reason: 'stopped by user', lastExit: { code: 0 } });
    expect(existsSync(flag)).toBe(true);
    const lines = await logLines(h.home, 'hooked');
    expect(lines).toContain(`[pre_start] preparing ${flag}`);
    expect(lines.some((l) => l.startsWith('[pre_start] pre_start (echo preparing $STOP_FLAG) exited with code 0'))).toBe(true);
    const at = (start: string) => lines.findIndex((l) => l.startsWith(start));
    // pre_start before the service's first line; pre_stop before stop_command; the stop file made by stop_command ended it.
    expect([at('[pre_start] preparing'), at('ready'), at('[pre_stop] draining'), at('[stop_command] asked to stop')]).toEqual(
      [at('[pre_start] preparing'), at('ready'), at('[pre_stop] draining'), at('[stop_command] asked to stop')].sort((a, b) => a - b),
    );
    expect(at('[pre_start] preparing')).toBeGreaterThanOrEqual(0);
    expect(lines).toContain('stop file seen');
    expect(lines.some((l) => l.startsWith('signalled'))).toBe(false);
  });

  it('fails the start when pre_start fails, with its exit code and output, and runs nothing', async () => {
    const h = await open(
      nodeService('guarded', ['-e', 'console.log("service ran")'], '', 'pre_start = "echo checking; echo no data directory >&2; exit 4"\nrestart = "no"'),
    );
    const status = await h.engine.start('guarded');
    expect(status.state).toBe('failed');
    expect(status.reason).toBe(
      'pre_start failed: pre_start (echo checking; echo no data directory >&2; exit 4) exited with code 4: checking | no data directory',
    );
    const lines = await waitFor(async () => {
      const seen = await logLines(h.home, 'guarded');
      return seen.includes('[pre_start] no data directory') && seen;
    });
    expect(lines).not.toContain('service ran');
  });

  it('warns, located, where stop control has no effect: hooks outside binary services, a stop signal Compose or the cluster owns', () => {
    const text = [
      '[services.pods.deployment]',
      'mode = "kubernetes"',
      'kubernetes = { namespace = "default", manifests = ["k.yaml"] }',
      '[services.pods.startup]',
      'stop_signal = "INT"',
      'pre_stop = "echo bye"',
      '[services.box.deployment]',
      'mode = "docker"',
      'docker = { image = "local/busybox:test" }',
      '[services.box.startup]',
      'stop_signal = "QUIT"',
      '',
    ].join('\n');
    const { registry, issues } = parseRegistry(text, 'test.toml');
    expect(registry).toBeDefined();
    expect(issues.map((i) => `${i.severity} ${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`)).toEqual([
      expect.stringMatching(/^warning 5:\d+ services\.pods\.startup\.stop_signal: has no effect on a kubernetes service: its pods are stopped by the cluster/),
      expect.stringMatching(/^warning 6:\d+ services\.pods\.startup\.pre_stop: only binary services run it: a kubernetes service never does$/),
    ]);
  });

  it('refuses an unknown stop_signal and a malformed hook, located', () => {
    const { issues } = parseRegistry(nodeService('x', [], '', 'stop_signal = "SIGFOO"\npre_stop = { command = "true", timeout = 5 }'), 'test.toml');
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`)).toEqual([
      expect.stringMatching(/^7:\d+ services\.x\.startup\.stop_signal: a signal name: TERM, INT, QUIT, HUP, KILL, USR1, USR2 \(without SIG\)/),
      expect.stringMatching(/^8:\d+ services\.x\.startup\.pre_stop/),
    ]);
  });
});
