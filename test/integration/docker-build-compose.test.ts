/**
 * A compose service with a `build:` section is built through Compose before its `up` (its output
 * in the service's log), and `rebuild` after a change of its context builds a new image and
 * recreates its container. FROM the local busybox image: nothing is pulled.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { tempDir } from '../support/cli-run';
import { freePort, harnesses } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';

// A hang guard, not a speed goal: Compose v1 is a Python program, each container start goes through the runc wrapper.
vi.setConfig({ testTimeout: 180_000 });

const { open } = harnesses();
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const tag = `${process.pid}${Date.now() % 100000}`;

/** A Compose project in a new folder whose one service builds ./app (serving www/health: `one`), with `extra` lines in its entry. */
async function composeProject(name: string, extra: string[] = []) {
  const dir = join(tempDir(), `${name}${tag}`);
  mkdirSync(join(dir, 'app', 'www'), { recursive: true });
  writeFileSync(join(dir, 'app', 'www', 'health'), 'one\n');
  writeFileSync(
    join(dir, 'app', 'Dockerfile'),
    ['FROM local/busybox:test', 'COPY www /www', `CMD ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]`, ''].join('\n'),
  );
  const service = `c${name}${tag}`;
  const port = await freePort();
  const file = join(dir, 'compose.yaml');
  writeFileSync(
    file,
    [
      'version: "2.4"',
      'services:',
      `  ${service}:`,
      '    build: ./app',
      ...extra.map((line) => `    ${line}`),
      `    ports: ["127.0.0.1:${port}:8080"]`,
      '',
    ].join('\n'),
  );
  const registry = [
    `[services.${service}.deployment]`,
    'mode = "docker-compose"',
    `"docker-compose" = { file = ${JSON.stringify(file)} }`,
    `[services.${service}.health_check]`,
    'type = "http"',
    `http = { url = "http://127.0.0.1:${port}/health" }`,
    `[services.${service}.startup]`,
    'stop_timeout = "3s"',
    '',
  ].join('\n');
  const health = async () => (await fetch(`http://127.0.0.1:${port}/health`)).text();
  return { dir, service, file, project: `${name}${tag}`, registry, health };
}

describeWith('docker')('compose build', () => {
  it('builds a service with a build: section through Compose, then rebuilds and recreates it when its context changed', async () => {
    const { dir, service, file, project, registry, health } = await composeProject('pccbuild');
    const h = await open(registry);
    const containerOf = () => docker('ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`);
    try {
      expect((await h.engine.start(service)).state).toBe('healthy');
      expect(await health()).toBe('one\n');
      const log = (await tailLog(logFiles(join(h.home, 'services', 'logs'), service), 300)).map((line) => line.text);
      expect(log).toContain(`starting: docker compose build ${service} (project ${project})`);
      expect(log).toContainEqual(expect.stringMatching(/^Step 2\/3 : COPY www \/www$/));
      expect(log.indexOf(`starting: docker compose build ${service} (project ${project})`)).toBeLessThan(
        log.indexOf(`starting: docker compose up ${service} (project ${project})`),
      );
      const first = containerOf();
      expect(h.engine.status()[0]!.actions).toContain('rebuild');

      writeFileSync(join(dir, 'app', 'www', 'health'), 'two\n');
      const rebuilt = await h.engine.rebuild(service);
      expect(rebuilt).toMatchObject({ built: true, recreated: true, image: `${project}_${service}` });
      expect(rebuilt.status.state).toBe('healthy');
      expect(containerOf()).not.toBe(first);
      expect(docker('inspect', '-f', '{{.Image}}', containerOf())).toBe(rebuilt.imageId);
      expect(await health()).toBe('two\n');
      // One build: the recreate's `up` runs what the rebuild built, it does not build again.
      const after = (await tailLog(logFiles(join(h.home, 'services', 'logs'), service), 300)).map((line) => line.text);
      expect(after.slice(after.lastIndexOf(`starting: recreated from the rebuilt image ${project}_${service}`))).not.toContain(
        `starting: docker compose build ${service} (project ${project})`,
      );
    } finally {
      execFileSync('docker-compose', ['-p', project, '-f', file, 'down', '-t', '0', '--rmi', 'local'], { stdio: 'ignore' });
    }
  });

  it('recreates what runs after a build when it cannot tell the image (an image: name from a variable)', async () => {
    const image = `pccvarimage${tag}`;
    const { dir, service, file, project, registry, health } = await composeProject('pccvar', ['image: "${PCC_IMAGE}"']);
    const h = await open(registry, { ...process.env, PCC_IMAGE: image });
    try {
      expect((await h.engine.start(service)).state).toBe('healthy');
      expect(docker('image', 'inspect', '-f', '{{.Id}}', image)).toMatch(/^sha256:/);
      writeFileSync(join(dir, 'app', 'www', 'health'), 'two\n');
      // The image is looked for as "${PCC_IMAGE}", and not found: unsure, so it is recreated.
      expect(await h.engine.rebuild(service)).toMatchObject({ built: true, recreated: true });
      expect(await health()).toBe('two\n');
    } finally {
      execFileSync('docker-compose', ['-p', project, '-f', file, 'down', '-t', '0'], { env: { ...process.env, PCC_IMAGE: image }, stdio: 'ignore' });
      execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    }
  });
});
