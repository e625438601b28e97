/**
 * Preflight of what a deployment mode needs from the machine, against the real things: a Docker
 * engine that answers or a socket that does not, Compose and helm looked up on the PATH, kubeconfigs
 * whose context is missing or whose API server does not answer.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCompose } from '../../src-main/core/drivers/compose/compose-command';
import { tempDir } from '../support/cli-run';
import { harnesses } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const { open } = harnesses();
const dockerService = '[services.web.deployment]\nmode = "docker"\ndocker = { image = "local/busybox:test" }\n';
const composeService = '[services.db.deployment]\nmode = "docker-compose"\n"docker-compose" = { file = "compose.yaml" }\n';
const reasonsOf = async (text: string, env: NodeJS.ProcessEnv) => (await (await open(text, env)).engine.readiness()).map((r) => r.reasons);

/** A PATH holding only node and the named tools, taken from this machine. */
function pathWith(...tools: string[]): string {
  const dir = tempDir('pcc-path-');
  for (const tool of tools) {
    const found = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, tool), `#!/bin/sh\nexec ${found} "$@"\n`);
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

describe('preflight of the machine', () => {
  it('says the Docker engine is unreachable, where, and how to start it', async () => {
    const socket = join(tempDir(), 'docker.sock');
    const [reasons] = await reasonsOf(dockerService, { ...process.env, DOCKER_HOST: `unix://${socket}` });
    expect(reasons).toContain(
      `Docker engine not reachable at unix://${socket} (ENOENT): is dockerd running? start it with \`sudo systemctl start docker\` (or \`sudo dockerd &\`)`,
    );
  });

  it('says Compose is missing when neither `docker compose` nor `docker-compose` runs', async () => {
    const path = pathWith('sh');
    expect(await detectCompose({ PATH: path })).toBeUndefined();
    const [reasons] = await reasonsOf(composeService, { ...process.env, PATH: path });
    expect(reasons).toContain('Docker Compose not found: neither `docker compose` (v2) nor `docker-compose` (v1) runs on PATH');
  });

  it('says helm is missing for a chart, and names a kubeconfig that does not exist', async () => {
    const home = tempDir();
    const text = '[services.api.deployment]\nmode = "kubernetes"\nkubernetes = { helm = { chart = "./chart" } }\n';
    const [reasons] = await reasonsOf(text, { PATH: pathWith('sh'), HOME: home });
    expect(reasons).toEqual([
      'helm not found on PATH (the service deploys a Helm chart; or set HELM_BIN)',
      `no kubeconfig: ${join(home, '.kube', 'config')} not found (set deployment.kubernetes.kubeconfig or KUBECONFIG)`,
    ]);
    const [withHelmBin] = await reasonsOf(text, { PATH: pathWith('sh'), HOME: home, HELM_BIN: join(home, 'no-helm') });
    expect(withHelmBin).toContain(`HELM_BIN=${join(home, 'no-helm')} is not an executable file`);
  });

  it('names a missing context and the ones the kubeconfig has, and an API server that does not answer', async () => {
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)));
    await new Promise((resolve) => closed.close(resolve)); // a port nobody listens on
    const dir = tempDir();
    mkdirSync(join(dir, 'kube'));
    const kubeconfig = join(dir, 'kube', 'config');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: local',
        'clusters: [{ name: local, cluster: { server: "https://127.0.0.1:' + port + '", insecure-skip-tls-verify: true } }]',
        'users: [{ name: admin, user: { token: testtoken } }]',
        'contexts: [{ name: local, context: { cluster: local, user: admin } }, { name: other, context: { cluster: local, user: admin } }]',
        '',
      ].join('\n'),
    );
    const service = (name: string, context?: string) =>
      `[services.${name}.deployment]\nmode = "kubernetes"\nkubernetes = { ${context ? `context = "${context}", ` : ''}manifests = ["m.yaml"] }\n`;
    const [missing, unreachable] = await reasonsOf(service('a', 'staging') + service('b'), { ...process.env, KUBECONFIG: kubeconfig });
    expect(missing).toContain(`context 'staging' is not in ${kubeconfig} (it has: local, other)`);
    expect(unreachable).toContain(`Kubernetes API server of context 'local' (https://127.0.0.1:${port}) not reachable: ECONNREFUSED`);
  });
});

describeWith('docker')('preflight with a Docker engine', () => {
  it('finds nothing wrong with the machine for docker and compose services', async () => {
    expect(await detectCompose(process.env)).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/) });
    const h = await open(dockerService + composeService, process.env);
    expect((await h.engine.readiness()).map((r) => [r.verdict, r.reasons])).toEqual([
      ['would start', []],
      ['would start', []],
    ]);
  });
});
