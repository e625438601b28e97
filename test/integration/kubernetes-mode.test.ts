/**
 * kubernetes and helm services on a real single-node cluster (scripts/infra/kubernetes.sh: a real
 * kube-apiserver, scheduler, controller-manager and kubelet on the local dockerd), in a namespace of
 * the test's own, from the local busybox image (never pulled).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';
import { delayedRegistry } from '../support/delayed-services';
import { harness, harnesses, waitFor } from '../support/engine-harness';
import { describeWith, helmBin, INFRA_BIN, KUBECONFIG_FILE } from '../support/engines';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { logFiles } from '../../src-main/core/logs/log-files';

const { open, track } = harnesses();
const namespace = `pcc-${process.pid}`;
const kubectl = (...args: string[]) =>
  execFileSync(join(INFRA_BIN, 'kubectl'), ['--kubeconfig', KUBECONFIG_FILE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const env = () => ({ ...process.env, KUBECONFIG: KUBECONFIG_FILE, HELM_BIN: helmBin() });
const dir = tempDir('pcc-kube-');

/** A Deployment of the local image running `script`, and its registry entry. */
function kubeService(name: string, script: string, image = 'local/busybox:test', extra = ''): string {
  writeFileSync(
    join(dir, `${name}.yaml`),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: { name: ${name} }`,
      'spec:',
      '  replicas: 1',
      `  selector: { matchLabels: { app: ${name} } }`,
      '  template:',
      `    metadata: { labels: { app: ${name} } }`,
      '    spec:',
      '      terminationGracePeriodSeconds: 2',
      '      containers:',
      `        - { name: main, image: "${image}", imagePullPolicy: Never, command: ["sh", "-c", ${JSON.stringify(script)}] }`,
      '',
    ].join('\n'),
  );
  return `[services.${name}.deployment]\nmode = "kubernetes"\nkubernetes = { namespace = "${namespace}", manifests = [${JSON.stringify(join(dir, `${name}.yaml`))}]${extra} }\n[services.${name}.startup]\ntimeout = "60s"\nrestart = "no"\n`;
}
const serving = (name: string) => `echo hello from ${name}; trap 'exit 0' TERM; while true; do sleep 1; done & wait`;

describeWith('kubernetes')('kubernetes mode', () => {
  beforeAll(() => void kubectl('create', 'namespace', namespace));
  afterAll(() => void kubectl('delete', 'namespace', namespace, '--wait=false'));

  it('applies a Deployment, sees it available, reads its logs, stops it and starts it again', async () => {
    const h = await open(kubeService('kweb', serving('kweb')), env());
    const started = await h.engine.start('kweb');
    expect(started).toMatchObject({ state: 'healthy', workload: `deployment/kweb in ${namespace}` });
    expect(started.reason).toBe(`deployment/kweb in ${namespace}: 1/1 available (deployment/kweb in ${namespace})`);
    expect(kubectl('get', 'deployment', 'kweb', '-n', namespace, '-o', 'jsonpath={.metadata.labels.dev\\.provisioning\\.service}')).toBe('kweb');
    await waitFor(async () => (await tailLog(logFiles(join(h.home, 'services', 'logs'), 'kweb'))).some((l) => l.text === 'hello from kweb'), 20_000);
    expect((await h.engine.stop('kweb')).state).toBe('stopped');
    expect(() => kubectl('get', 'deployment', 'kweb', '-n', namespace)).toThrow();
    expect((await h.engine.start('kweb')).state).toBe('healthy');
  }, 90_000);

  it('says once, in the service log, that a cluster without metrics.k8s.io serves no pod usage', async () => {
    // This cluster runs no metrics-server: the API group is not served at all.
    expect(() => kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1')).toThrow(/NotFound|not found|could not find/i);
    const h = await open(kubeService('kmetrics', serving('kmetrics')), env());
    expect((await h.engine.start('kmetrics')).state).toBe('healthy');
    const logs = logFiles(join(h.home, 'services', 'logs'), 'kmetrics');
    const notes = async () => (await tailLog(logs)).filter((l) => l.stream === 'evt' && l.text.includes('serves no pod metrics'));
    await waitFor(async () => (await notes()).length > 0, 20_000);
    // Three more sampling intervals (2 s each) ask again, and say nothing more.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect((await notes()).map((l) => l.text)).toEqual([
      'usage: this cluster serves no pod metrics (metrics.k8s.io); install metrics-server to see CPU and memory',
    ]);
    expect(h.engine.status().find((s) => s.name === 'kmetrics')?.usage).toBeUndefined();
    expect((await h.engine.stop('kmetrics')).state).toBe('stopped');
  }, 90_000);

  it('applies manifests written inline in the registry', async () => {
    const manifest = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: kinline }',
      'spec:',
      '  selector: { matchLabels: { app: kinline } }',
      '  template:',
      '    metadata: { labels: { app: kinline } }',
      '    spec:',
      `      containers: [{ name: main, image: "local/busybox:test", imagePullPolicy: Never, command: ["sleep", "600"] }]`,
    ].join('\n');
    const text = `[services.kinline.deployment]\nmode = "kubernetes"\n[services.kinline.deployment.kubernetes]\nnamespace = "${namespace}"\ninline = '''\n${manifest}\n'''\n`;
    const h = await open(text, env());
    expect((await h.engine.start('kinline')).state).toBe('healthy');
    await h.engine.stop('kinline');
  }, 60_000);

  it('says an image cannot be pulled instead of waiting for it', async () => {
    const h = await open(kubeService('kbad', serving('kbad'), 'local/not-built:1'), env());
    // The pull error itself ends the start, not the startup timeout (that would say "not healthy within").
    const status = await h.engine.start('kbad');
    expect(status.state).toBe('failed');
    expect(status.reason).toMatch(/^image local\/not-built:1 cannot be pulled \(ErrImageNeverPull: .+\)$/);
  }, 60_000);

  it('shows a crashing pod as crash-loop, with the cluster back-off', async () => {
    const h = await open(kubeService('kcrash', 'echo about to fail; exit 3'), env());
    const status = await h.engine.start('kcrash');
    expect(status.state).toBe('crash-loop');
    expect(status.reason).toMatch(/^CrashLoopBackOff: back-off \d+s restarting failed container=main pod=kcrash-.+ \(pod kcrash-\S+, \d+ restarts\)$/);
    await h.engine.stop('kcrash');
  }, 90_000);

  it('refuses to start against an API server that does not answer, and changes nothing', async () => {
    const kubeconfig = join(dir, 'closed');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: c, context: { cluster: c, user: u } }]\n',
    );
    const h = await open(kubeService('kaway', serving('kaway')), { ...env(), KUBECONFIG: kubeconfig });
    await expect(h.engine.start('kaway')).rejects.toThrow(
      "cannot start kaway:\n  - Kubernetes API server of context 'c' (https://127.0.0.1:1) not reachable: ECONNREFUSED",
    );
    // Nothing was applied; it waits, asked for, with the reason (desired-state.ts), until the cluster answers.
    expect(h.engine.status()[0]).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/^cannot start: Kubernetes API server of context 'c'/) });
  });

  it('shows its services unknown while the API server is away, and healthy again after, with nothing lost', async () => {
    const h = await open(kubeService('kaway2', serving('kaway2')), env());
    expect((await h.engine.start('kaway2')).state).toBe('healthy');
    const uid = kubectl('get', 'deployment', 'kaway2', '-n', namespace, '-o', 'jsonpath={.metadata.uid}');
    execFileSync('pkill', ['-KILL', '-f', `${join(INFRA_BIN, 'kube-apiserver')} `]);
    await waitFor(() => h.engine.status()[0]!.state === 'unknown', 20_000);
    expect(h.engine.status()[0]!.reason).toMatch(/^Kubernetes API server not reachable \(.+\); watching again as soon as it answers$/);
    execFileSync(join(process.cwd(), 'scripts', 'infra', 'kubernetes.sh'), { stdio: 'ignore' });
    await waitFor(() => h.engine.status()[0]!.state === 'healthy', 30_000);
    expect(h.engine.status()[0]).toMatchObject({ reason: 'its engine is reachable again', workload: `deployment/kaway2 in ${namespace}` });
    expect(kubectl('get', 'deployment', 'kaway2', '-n', namespace, '-o', 'jsonpath={.metadata.uid}')).toBe(uid);
  }, 90_000);

  it('installs a Helm chart, is adopted by its release status, upgrades to a new revision with new values, and uninstalls', async () => {
    const chart = join(process.cwd(), 'platform', 'charts', 'web');
    const service = (message: string, stop: string) =>
      `[services.khelm.deployment]\nmode = "kubernetes"\nkubernetes = { namespace = "${namespace}", stop = "${stop}", helm = { chart = ${JSON.stringify(chart)}, values = { message = "${message}" } } }\n[services.khelm.startup]\ntimeout = "90s"\n`;
    const helm = (...args: string[]) =>
      execFileSync(helmBin(), ['--kubeconfig', KUBECONFIG_FILE, '-n', namespace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const revision = () => JSON.parse(helm('status', 'khelm', '-o', 'json')) as { version: number; config: { message: string } };
    const first = await open(service('first', 'scale-to-zero'), env());
    expect((await first.engine.start('khelm')).state).toBe('healthy');
    expect(revision()).toMatchObject({ version: 1, config: { message: 'first' } });
    await first.engine.close();
    // A new manager adopts the deployed release; stopping it scales to zero and keeps the release.
    const again = track(await harness(service('first', 'scale-to-zero'), first.home, env()));
    expect(again.engine.status()[0]).toMatchObject({
      state: 'healthy',
      reason: expect.stringMatching(/^adopted \(deployment\/khelm in /) as unknown as string,
    });
    expect((await again.engine.stop('khelm')).state).toBe('stopped');
    expect(kubectl('get', 'deployment', 'khelm', '-n', namespace, '-o', 'jsonpath={.spec.replicas}')).toBe('0');
    await again.engine.close();
    // Changed values: the next start upgrades the release to a new revision.
    const second = track(await harness(service('second', 'delete'), first.home, env()));
    expect((await second.engine.start('khelm')).state).toBe('healthy');
    expect(revision()).toMatchObject({ version: 2, config: { message: 'second' } });
    expect((await second.engine.stop('khelm')).state).toBe('stopped');
    expect(() => helm('status', 'khelm')).toThrow();
  }, 180_000);

  it('starts a graph of binary, docker and kubernetes services in dependency order', async () => {
    const container = `pcc-kmix-${process.pid}`;
    const { text } = delayedRegistry({ app: { deps: ['kmix', container] } });
    const docker = `[services.${container}.deployment]\nmode = "docker"\ndocker = { image = "local/busybox:test", command = ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"] }\n`;
    const h = await open(`${kubeService('kmix', serving('kmix'))}${docker}${text}`, env());
    try {
      const report = await h.engine.platformStart(['app']);
      const steps = Object.fromEntries(report.steps.map((s) => [s.name, s]));
      expect(report.steps.every((s) => s.outcome === 'done')).toBe(true);
      expect(steps['app']!.began).toBeGreaterThanOrEqual(Math.max(steps['kmix']!.ended!, steps[container]!.ended!));
    } finally {
      execFileSync('docker', ['rm', '-f', container], { stdio: 'ignore' });
    }
  }, 90_000);
});
