/**
 * docker-mode and docker-compose-mode services on the real local engine, from the local busybox
 * image (scripts/infra/docker.sh builds it; nothing is pulled).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { tempDir } from '../support/cli-run';
import { freePort, harness, harnesses, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import { delayedRegistry } from '../support/delayed-services';
import { localRegistry } from '../support/local-registry';

// A guard against a hang, not a speed goal: every container start goes through the runc wrapper and
// Compose healthchecks are `docker exec`s, slow on a loaded machine. Speed is measured in bench/.
vi.setConfig({ testTimeout: 180_000 });

const { open, track } = harnesses();
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
// Unique names: tests of several runs (and files) share one engine.
const tag = `${process.pid}-${Date.now() % 100000}`;
const made: string[] = [];
afterAll(() => {
  for (const name of made) execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
});

/** A busybox web server that exits 0 on SIGTERM; `port` published on 127.0.0.1. */
function webService(name: string, port: number, extra = ''): string {
  made.push(name);
  return [
    `[services.${name}]`,
    extra,
    `[services.${name}.deployment]`,
    'mode = "docker"',
    `docker = { image = "local/busybox:test", command = ["sh", "-c", "trap 'exit 0' TERM; echo serving ${name}; httpd -f -p 8080 -h /www & wait"], ports = ["127.0.0.1:${port}:8080"] }`,
    `[services.${name}.health_check]`,
    'type = "http"',
    `http = { url = "http://127.0.0.1:${port}/health" }`,
    `[services.${name}.startup]`,
    'stop_timeout = "3s"',
    '',
  ].join('\n');
}

describeWith('docker')('docker mode', () => {
  it('starts, serves, logs, restarts and stops a labelled container', async () => {
    const name = `pcc-web-${tag}`;
    const h = await open(webService(name, await freePort()));
    const started = await h.engine.start(name);
    expect(started.state).toBe('healthy');
    const labels = JSON.parse(docker('inspect', '-f', '{{json .Config.Labels}}', name)) as Record<string, string>;
    expect(labels).toMatchObject({ 'dev.provisioning.managed-by': 'provisioning', 'dev.provisioning.service': name, 'dev.provisioning.home': h.home });
    const first = docker('inspect', '-f', '{{.Id}}', name);
    await waitFor(async () =>
      (await import('../../src-main/core/logs/log-reader'))
        .tailLog((await import('../../src-main/core/logs/log-files')).logFiles(join(h.home, 'services', 'logs'), name))
        .then((lines) => lines.some((l) => l.text === `serving ${name}`)),
    );
    const restarted = await h.engine.restart(name);
    expect(restarted.state).toBe('healthy');
    expect(docker('inspect', '-f', '{{.Id}}', name)).not.toBe(first);
    const stopped = await h.engine.stop(name);
    expect(stopped).toMatchObject({ state: 'stopped', reason: 'stopped by user' });
    expect(docker('inspect', '-f', '{{.State.Running}}', name)).toBe('false');
  });

  it('stops a container with the registry stop_signal (its --stop-signal), cleanly and without the kill', async () => {
    const name = `pcc-int-${tag}`;
    made.push(name);
    // SIGTERM is ignored: only SIGINT ends it, so a stop with the default signal would end in the kill after 20 s.
    const script = "trap '' TERM; trap 'echo got INT; exit 0' INT; echo up; while true; do sleep 1; done";
    const h = await open(
      [
        `[services.${name}.deployment]`,
        'mode = "docker"',
        `docker = { image = "local/busybox:test", command = ["sh", "-c", ${JSON.stringify(script)}] }`,
        `[services.${name}.startup]`,
        'stop_signal = "INT"',
        'stop_timeout = "20s"',
        '',
      ].join('\n'),
    );
    expect((await h.engine.start(name)).state).toBe('healthy');
    expect(docker('inspect', '-f', '{{.Config.StopSignal}}', name)).toBe('SIGINT');
    expect(await h.engine.stop(name)).toMatchObject({ state: 'stopped', reason: 'stopped by user' });
    expect(docker('inspect', '-f', '{{.State.ExitCode}}', name)).toBe('0');
    expect(docker('logs', name)).toContain('got INT');
  });

  it('is adopted by the next manager, and recreated once its configuration changed', async () => {
    const name = `pcc-adopt-${tag}`;
    const p = await freePort();
    const first = await harness(webService(name, p));
    await first.engine.start(name);
    const id = docker('inspect', '-f', '{{.Id}}', name);
    await first.engine.close(); // as if the manager died: the container keeps running
    const second = await first.reopen();
    expect(second.engine.status()[0]).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^adopted/) as unknown as string });
    expect(docker('inspect', '-f', '{{.Id}}', name)).toBe(id);
    await second.engine.close();
    const changed = track(await harness(webService(name, p, 'description = "same"').replace('echo serving', 'echo now serving'), first.home));
    expect(changed.engine.status()[0]!.state).toBe('healthy'); // adopted, out of date
    await changed.engine.restart(name);
    expect(docker('inspect', '-f', '{{.Id}}', name)).not.toBe(id);
    expect(docker('inspect', '-f', '{{index .Config.Cmd 2}}', name)).toContain('now serving');
  });

  it('never touches a container of the same name it did not make, and says so', async () => {
    const name = `pcc-foreign-${tag}`;
    made.push(name);
    docker('run', '-d', '--name', name, 'local/busybox:test', 'sleep', '600');
    const h = await open(webService(name, await freePort()));
    const status = await h.engine.start(name);
    expect(status).toMatchObject({ state: 'failed' });
    expect(status.reason).toBe(
      `a container named '${name}' exists that provisioning does not manage (image local/busybox:test, running); it is left untouched: remove or rename it, or set deployment.docker.container_name`,
    );
    expect(docker('inspect', '-f', '{{.State.Running}} {{.Config.Cmd}}', name)).toBe('true [sleep 600]');
  });

  it('says which host port is taken, and removes what it created', async () => {
    const p = await freePort();
    const holder = `pcc-holder-${tag}`;
    made.push(holder);
    docker('run', '-d', '--name', holder, '-p', `127.0.0.1:${p}:8080`, 'local/busybox:test', 'sleep', '600');
    const name = `pcc-clash-${tag}`;
    const h = await open(webService(name, p));
    const status = await h.engine.start(name);
    expect(status).toMatchObject({ state: 'failed', reason: `host port ${p} is already allocated (another container or process holds it)` });
    expect(() => docker('inspect', name)).toThrow();
  });

  it('pulls a missing image from a registry, telling per-layer progress while it starts', async () => {
    // An image with a layer of its own, served by a registry on loopback, then removed locally.
    const dir = tempDir();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM local/busybox:test\nRUN dd if=/dev/urandom of=/blob bs=1M count=8 2>/dev/null\n');
    docker('build', '-q', '-t', `local/pull-src-${tag}`, dir);
    const registry = await localRegistry(`local/pull-src-${tag}`, 'pcc/pulled', tag);
    docker('rmi', `local/pull-src-${tag}`);
    const image = `${registry.address}/pcc/pulled:${tag}`;
    const name = `pcc-pulled-${tag}`;
    made.push(name);
    try {
      const text = `[services.${name}.deployment]\nmode = "docker"\ndocker = { image = "${image}", command = ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"] }\n`;
      const h = await open(text);
      expect((await h.engine.start(name)).state).toBe('healthy');
      const told = h.events.filter((e) => e.state === 'starting').map((e) => e.reason);
      // A pull from loopback is quick: what is told between is throttled; the last word is per layer.
      // The layer of its own is downloaded; whether the engine knows the busybox layer it already
      // holds by this registry's digest depends on its layer metadata, so either word is right there.
      expect(told.at(-1)).toMatch(new RegExp(`^pulled ${image}: [0-9a-f]{12} (Already exists|Pull complete), [0-9a-f]{12} Pull complete$`));
      await h.engine.stop(name);
    } finally {
      await registry.close();
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
      execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    }
  });

  it('explains an image that is not here and cannot be pulled', async () => {
    const name = `pcc-missing-${tag}`;
    const text = `[services.${name}.deployment]\nmode = "docker"\ndocker = { image = "local/not-built-${tag}:1" }\n`;
    const h = await open(text);
    const status = await h.engine.start(name);
    expect(status.state).toBe('failed');
    expect(status.reason).toMatch(
      new RegExp(`^image local/not-built-${tag}:1 is not on this machine and could not be pulled \\(.+\\); offline\\? build or load it locally$`),
    );
  });

  it('shows the image HEALTHCHECK beside our probe, and an exit from the container as a failure with its code', async () => {
    const name = `pcc-hc-${tag}`;
    made.push(name);
    const text = [
      `[services.${name}.deployment]`,
      'mode = "docker"',
      `docker = { image = "local/busybox:test", command = ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"] }`,
      `[services.${name}.startup]`,
      'restart = "no"',
    ].join('\n');
    // A HEALTHCHECK baked into an image built locally from the test image.
    const dir = tempDir();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM local/busybox:test\nHEALTHCHECK --interval=200ms CMD true\n');
    docker('build', '-q', '-t', `local/hc-${tag}`, dir);
    const h = await open(text.replace('local/busybox:test', `local/hc-${tag}`));
    const status = await h.engine.start(name);
    expect(status).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^its container HEALTHCHECK passes/) as unknown as string });
    await waitFor(() => h.engine.status()[0]!.engineHealth === 'healthy');
    docker('kill', '-s', 'KILL', name);
    await waitFor(() => h.engine.status()[0]!.state === 'failed');
    expect(h.engine.status()[0]!.reason).toBe('exited with code 137');
    docker('rmi', '-f', `local/hc-${tag}`);
  });

  it('starts a mixed graph in order: a binary service after the container it needs', async () => {
    const name = `pcc-dep-${tag}`;
    const { text } = delayedRegistry({ app: { deps: [name] } });
    const h = await open(`${webService(name, await freePort())}\n${text}`);
    const report = await h.engine.platformStart(['app']);
    expect(
      report.steps.map((s) => [s.name, s.outcome]),
      JSON.stringify(report.steps),
    ).toEqual([
      [name, 'done'],
      ['app', 'done'],
    ]);
    expect(report.steps[1]!.began).toBeGreaterThanOrEqual(report.steps[0]!.ended!);
  });
});

describeWith('docker')('docker-compose mode', () => {
  it('starts one service of a project, follows its logs and HEALTHCHECK, is adopted, and stops', async () => {
    const dir = join(tempDir(), `pccproj${tag.replace('-', '')}`);
    mkdirSync(dir);
    const service = `cweb${tag.replace('-', '')}`;
    const p = await freePort();
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'version: "2.4"',
        'services:',
        `  ${service}:`,
        '    image: local/busybox:test',
        `    command: ["sh", "-c", "trap 'exit 0' TERM; echo hello from compose; httpd -f -p 8080 -h /www & wait"]`,
        `    ports: ["127.0.0.1:${p}:8080"]`,
        '    healthcheck: { test: ["CMD", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/health"], interval: 200ms, retries: 50 }',
        '  other:',
        '    image: local/busybox:test',
        '    command: ["sleep", "600"]',
        '',
      ].join('\n'),
    );
    const text = `[services.${service}.deployment]\nmode = "docker-compose"\n"docker-compose" = { file = ${JSON.stringify(join(dir, 'compose.yaml'))} }\n[services.${service}.startup]\nstop_timeout = "3s"\n`;
    const first = await harness(text);
    try {
      const status = await first.engine.start(service);
      expect(status).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^its container HEALTHCHECK passes/) as unknown as string });
      const project = dir.split('/').at(-1)!.toLowerCase();
      expect(docker('ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}}')).toBe(service);
      await first.engine.close();
      const second = track(await first.reopen());
      expect(second.engine.status()[0]).toMatchObject({ state: 'healthy', reason: expect.stringMatching(/^adopted/) as unknown as string });
      const { tailLog } = await import('../../src-main/core/logs/log-reader');
      const { logFiles } = await import('../../src-main/core/logs/log-files');
      await waitFor(async () => (await tailLog(logFiles(join(first.home, 'services', 'logs'), service))).some((l) => l.text === 'hello from compose'));
      expect((await second.engine.stop(service)).state).toBe('stopped');
      expect(docker('ps', '-q', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
    } finally {
      execFileSync('docker-compose', ['-p', dir.split('/').at(-1)!.toLowerCase(), '-f', join(dir, 'compose.yaml'), 'down', '-t', '0'], { stdio: 'ignore' });
    }
  });
});

describeWith('docker')('platform/docker-compose.yaml', () => {
  it('passes `docker-compose config`, with the seven services on provisioning-net and health-gated dependencies', () => {
    const file = join(process.cwd(), 'platform', 'docker-compose.yaml');
    execFileSync('docker-compose', ['-f', file, 'config', '-q'], { stdio: 'pipe' });
    const services = execFileSync('docker-compose', ['-f', file, 'config', '--services'], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(services).toEqual(['api-gateway', 'control-center', 'coredns', 'gitea', 'mcp-server', 'oci-registry', 'orchestrator']);
    const resolved = execFileSync('docker-compose', ['-f', file, 'config'], { encoding: 'utf8' });
    expect(resolved).toMatch(/control-center:\n(?:.*\n)*?\s+depends_on:\n\s+orchestrator:\n\s+condition: service_healthy/);
    expect(resolved).toMatch(/networks:\n\s+provisioning-net:\n\s+name: provisioning-net/);
    expect(resolved.match(/restart: unless-stopped/g)).toHaveLength(7);
    expect(resolved).toMatch(/volumes:\n\s+gitea-data: \{\}\n\s+oci-registry-data: \{\}\n\s+orchestrator-data: \{\}/);
  });
});
