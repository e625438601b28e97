/**
 * docker services that build their image (docker.build) on the real local engine, from the local
 * busybox image (FROM local/busybox:test: nothing is pulled): built and started healthy, not built
 * again when nothing (or only an ignored file) changed, rebuilt and recreated when the context
 * changed (from the one build: the recreate does not build again), and a broken Dockerfile leaves
 * the running container as it was and says why. A stop during a long rebuild is not held back by
 * it, and the build hash is keyed per home (build args may be secrets).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { tempDir } from '../support/cli-run';
import { parseRegistry } from '@shared/model';
import { createEngine } from '../../src-main/core/engine';
import { freePort, harnesses, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';

// A hang guard, not a speed goal: each container start goes through the runc wrapper.
vi.setConfig({ testTimeout: 180_000 });

const { open } = harnesses();
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const tag = `${process.pid}-${Date.now() % 100000}`;
const made: string[] = [];
afterAll(() => {
  for (const name of made) {
    execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    const images = docker('images', '-q', '--filter', `label=dev.provisioning.service=${name}`).split('\n').filter(Boolean);
    if (images.length > 0) execFileSync('docker', ['rmi', '-f', ...new Set(images)], { stdio: 'ignore' });
  }
});

const DOCKERFILE = ['FROM local/busybox:test', 'COPY www /www', `CMD ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]`, ''].join('\n');

/** A build context: a Dockerfile serving www/, and a .dockerignore for logs and scratch/. */
function context(): string {
  const dir = tempDir('pcc-build-');
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'health'), 'v1\n');
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  // The Dockerfile and .dockerignore are listed too: they are sent all the same, as the docker CLI sends them.
  writeFileSync(join(dir, '.dockerignore'), '*.log\nscratch\nDockerfile\n.dockerignore\n');
  return dir;
}

function builtService(name: string, dir: string, port: number): string {
  made.push(name);
  return [
    `[services.${name}.deployment]`,
    'mode = "docker"',
    `docker = { build = { context = ${JSON.stringify(dir)} }, ports = ["127.0.0.1:${port}:8080"] }`,
    `[services.${name}.health_check]`,
    'type = "http"',
    `http = { url = "http://127.0.0.1:${port}/health" }`,
    `[services.${name}.startup]`,
    'stop_timeout = "3s"',
    '',
  ].join('\n');
}

const containerImage = (name: string) => docker('inspect', '-f', '{{.Image}}', name);
const containerId = (name: string) => docker('inspect', '-f', '{{.Id}}', name);
const served = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health`)).text();
const logText = async (home: string, name: string) => (await tailLog(logFiles(join(home, 'services', 'logs'), name), 500)).map((line) => line.text);

describeWith('docker')('docker build', () => {
  it('builds from a local Dockerfile, starts healthy, and builds nothing again while nothing (or only an ignored file) changed', async () => {
    const name = `pcc-build-${tag}`;
    const dir = context();
    const port = await freePort();
    const h = await open(builtService(name, dir, port));
    expect((await h.engine.start(name)).state).toBe('healthy');
    expect(await served(port)).toBe('v1\n');
    const image = containerImage(name);
    const labels = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config.Labels}}', image)) as Record<string, string>;
    expect(labels).toMatchObject({ 'dev.provisioning.service': name, 'dev.provisioning.home': h.home });
    const hash = labels['dev.provisioning.build-hash']!;
    expect(docker('image', 'inspect', '-f', '{{index .RepoTags 0}}', image)).toBe(`provisioning/${name}:${hash.slice(0, 12)}`);
    const built = await logText(h.home, name);
    expect(built).toContainEqual(expect.stringMatching(/^starting: building provisioning\/.*: step 1\/3 \(FROM local\/busybox:test\)$/));
    expect(built).toContainEqual(expect.stringMatching(/^starting: building provisioning\/.*: step 3\/3 \(CMD/));

    // Ignored files (a log, a scratch folder) and a touched file change nothing that goes into the image.
    writeFileSync(join(dir, 'debug.log'), 'noise\n');
    mkdirSync(join(dir, 'scratch'));
    writeFileSync(join(dir, 'scratch', 'notes'), 'draft\n');
    writeFileSync(join(dir, 'www', 'health'), 'v1\n');
    const container = containerId(name);
    const again = await h.engine.rebuild(name);
    expect(again).toMatchObject({ built: false, recreated: false, imageId: image });
    expect(again.status.state).toBe('healthy');
    expect(again.status.actions).toContain('rebuild');
    expect(containerId(name)).toBe(container);
    expect((await logText(h.home, name)).at(-1)).toMatch(/^image provisioning\/.* up to date \(.*\): nothing in its build context changed$/);

    // A start after a stop finds the image up to date too: the same image, nothing built.
    await h.engine.stop(name);
    expect((await h.engine.start(name)).state).toBe('healthy');
    expect(containerImage(name)).toBe(image);
  });

  it('rebuilds on a change of its context and recreates the container; a broken Dockerfile keeps the running one and says why', async () => {
    const name = `pcc-rebuild-${tag}`;
    const dir = context();
    const port = await freePort();
    const h = await open(builtService(name, dir, port));
    expect((await h.engine.start(name)).state).toBe('healthy');
    const first = { image: containerImage(name), container: containerId(name) };

    writeFileSync(join(dir, 'www', 'health'), 'v2\n');
    const rebuilt = await h.engine.rebuild(name);
    expect(rebuilt).toMatchObject({ built: true, recreated: true });
    expect(rebuilt.status.state).toBe('healthy');
    expect(rebuilt.imageId).not.toBe(first.image);
    expect(containerImage(name)).toBe(rebuilt.imageId);
    expect(containerId(name)).not.toBe(first.container);
    expect(await served(port)).toBe('v2\n');
    // One build: the recreate runs the image just built, it does not walk and hash the context again.
    const afterRebuild = await logText(h.home, name);
    const buildLine = afterRebuild.findLastIndex((line) => /^building provisioning\/\S+ from /.test(line));
    expect(afterRebuild.slice(buildLine).filter((line) => / up to date /.test(line))).toEqual([]);
    // The replaced image went once no container used it: only the running one's is left for this service.
    expect(docker('images', '-q', '--no-trunc', '--filter', `label=dev.provisioning.service=${name}`).split('\n')).not.toContain(first.image);

    const running = containerId(name);
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE.replace('COPY www /www', 'COPY www /www\nRUN echo about to fail && exit 3'));
    const events = h.events.length;
    const failure = await h.engine.rebuild(name).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(
      /^rebuild failed: the build of provisioning\/.* failed at step 3\/4 \(RUN echo about to fail && exit 3\): .*returned a non-zero code: 3; pid \d+ goes on with the previous image$/,
    );
    expect(containerId(name)).toBe(running);
    expect(docker('inspect', '-f', '{{.State.Running}}', name)).toBe('true');
    expect(await served(port)).toBe('v2\n');
    expect(h.events.slice(events).at(-1)).toMatchObject({ state: 'healthy', reason: failure });
    const log = await logText(h.home, name);
    expect(log).toContain('about to fail');
    expect(log.at(-1)).toBe(failure);
  });

  it('builds outside its queue: a stop during a long rebuild stops at once, and the rebuilt image is then not started', async () => {
    const name = `pcc-slow-${tag}`;
    const dir = context();
    const port = await freePort();
    const h = await open(builtService(name, dir, port));
    expect((await h.engine.start(name)).state).toBe('healthy');
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE.replace('COPY www /www', 'COPY www /www\nRUN sleep 15'));
    const rebuild = h.engine.rebuild(name);
    await waitFor(async () => (await logText(h.home, name)).some((line) => line.endsWith('(RUN sleep 15)')), 120_000);
    expect((await h.engine.stop(name)).state).toBe('stopped');
    expect(await rebuild).toMatchObject({ built: true, recreated: false, status: { state: 'stopped' } });
    // Causality, not time: the stop ended while the build still slept (a queued stop would wait for the build and the recreate).
    const log = await logText(h.home, name);
    const sleeping = log.findIndex((line) => line.endsWith('(RUN sleep 15)'));
    const stopped = log.findIndex((line, at) => at > sleeping && line.startsWith('stopped: '));
    const built = log.findIndex((line, at) => at > sleeping && /^built provisioning\//.test(line));
    expect(stopped).toBeGreaterThan(sleeping);
    expect(built).toBeGreaterThan(stopped);
    expect(log.slice(sleeping).filter((line) => line.startsWith('starting: '))).toEqual([]);
    expect(docker('inspect', '-f', '{{.State.Running}}', name)).toBe('false');
  });

  it('builds the named target of a Dockerfile in a folder of the context, with args from env references in the hash', async () => {
    const name = `pcc-args-${tag}`;
    made.push(name);
    const dir = context();
    mkdirSync(join(dir, 'docker'));
    writeFileSync(
      join(dir, 'docker', 'app.Dockerfile'),
      [
        'FROM local/busybox:test AS web',
        'ARG GREETING',
        'RUN mkdir -p /www && echo "$GREETING" > /www/health',
        `CMD ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]`,
        'FROM web AS broken',
        'RUN exit 9',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const env: Record<string, string | undefined> = { ...process.env, PCC_GREETING: 'hello' };
    const text = builtService(name, dir, port).replace(
      `build = { context = ${JSON.stringify(dir)} }`,
      `build = { context = ${JSON.stringify(dir)}, dockerfile = "docker/app.Dockerfile", target = "web", args = { GREETING = { env = "PCC_GREETING" } } }`,
    );
    const h = await open(text, env);
    // The `broken` stage after the target is never built.
    expect((await h.engine.start(name)).state).toBe('healthy');
    expect(await served(port)).toBe('hello\n');
    expect((await h.engine.rebuild(name)).built).toBe(false);
    env['PCC_GREETING'] = 'bonjour';
    expect(await h.engine.rebuild(name)).toMatchObject({ built: true, recreated: true });
    expect(await served(port)).toBe('bonjour\n');
  });

  it("keys its build hash with the home's own key: the same build args label the image otherwise in another home", async () => {
    const name = `pcc-keyed-${tag}`;
    const dir = context();
    const text = builtService(name, dir, await freePort()).replace(
      `build = { context = ${JSON.stringify(dir)} }`,
      `build = { context = ${JSON.stringify(dir)}, args = { TOKEN = { env = "PCC_TOKEN" } } }`,
    );
    const env = { ...process.env, PCC_TOKEN: 'hunter2' };
    const one = await open(text, env);
    const two = await open(text, env);
    expect((await one.engine.start(name)).state).toBe('healthy');
    // Nothing of it runs in the second home: its rebuild only builds.
    const other = await two.engine.rebuild(name);
    expect(other).toMatchObject({ built: true, recreated: false });
    const hashOf = (image: string) => docker('image', 'inspect', '-f', '{{index .Config.Labels "dev.provisioning.build-hash"}}', image);
    expect(hashOf(other.imageId)).toMatch(/^[0-9a-f]{64}$/);
    // A plain hash of the same inputs would be the same label: guessable from the image by hashing candidates.
    expect(hashOf(other.imageId)).not.toBe(hashOf(containerImage(name)));
    for (const home of [one.home, two.home]) expect(statSync(join(home, 'services', 'state', 'build-hash.key')).mode & 0o777).toBe(0o600);
  });

  it('is rebuilt on a watched change (its context relative to the registry file), and the new image runs', async () => {
    const name = `pcc-watched-${tag}`;
    const dir = context();
    const port = await freePort();
    const text = builtService(name, '.', port).replace(
      `[services.${name}.deployment]`,
      `[services.${name}]\nwatch = { paths = ["www/**"], action = "rebuild", debounce = "100ms" }\n[services.${name}.deployment]`,
    );
    const { registry, issues } = parseRegistry(text, join(dir, 'services.toml'));
    if (!registry) throw new Error(issues.map((issue) => issue.message).join('\n'));
    const engine = await createEngine({
      home: tempDir('pcc-engine-'),
      registry,
      registryDir: dir,
      env: process.env,
      clientEnv: process.env,
      ingestEveryMs: 50,
    });
    try {
      expect((await engine.start(name)).state).toBe('healthy');
      const first = containerImage(name);
      await engine.watch([name], true);
      writeFileSync(join(dir, 'www', 'health'), 'watched\n');
      // While it is recreated there is a moment without a container of that name.
      const recreated = () => {
        try {
          return containerImage(name) !== first;
        } catch {
          return false;
        }
      };
      await waitFor(() => recreated() && engine.status()[0]!.state === 'healthy', 120_000);
      expect(await served(port)).toBe('watched\n');
    } finally {
      await engine.stop(name).catch(() => undefined);
      await engine.close();
    }
  });

  it('refuses a build context over the size cap, with the figure, before reading it', async () => {
    const name = `pcc-huge-${tag}`;
    const dir = context();
    // Sparse: 600 MiB by its size, nothing on the disk.
    execFileSync('truncate', ['-s', '600M', join(dir, 'www', 'disk.img')]);
    const h = await open(builtService(name, dir, await freePort()));
    const status = await h.engine.start(name);
    expect(status.state).toBe('failed');
    // Where the walk passes the cap depends on the folder's order: the figure is the count so far.
    const files = /after (\d) files/.exec(status.reason)?.[1];
    expect(status.reason).toBe(
      `build context ${dir} is too large: more than 512 MiB (the cap) after ${files} files; list what the image does not need (node_modules, .git, build output) in ${join(dir, '.dockerignore')}`,
    );
  });

  it('is blocked by preflight, with the path, when its context or Dockerfile is missing', async () => {
    const name = `pcc-nobuild-${tag}`;
    const dir = context();
    rmSync(join(dir, 'Dockerfile'));
    const h = await open(builtService(name, join(dir, 'missing'), await freePort()).replace(`${name}.deployment]`, `${name}.deployment]`));
    const [missingContext] = await h.engine.readiness();
    expect(missingContext).toMatchObject({ verdict: 'blocked' });
    expect(missingContext!.reasons).toContain(`build context ${join(dir, 'missing')} does not exist (services.${name}.deployment.docker.build.context)`);
    const other = `pcc-nofile-${tag}`;
    const h2 = await open(builtService(other, dir, await freePort()));
    const [missingFile] = await h2.engine.readiness();
    expect(missingFile!.reasons).toContain(`Dockerfile ${join(dir, 'Dockerfile')} does not exist (services.${other}.deployment.docker.build.dockerfile)`);
  });
});
