/**
 * A watched Helm chart on the real single-node cluster: a change of its files is a `helm upgrade`
 * to the next revision of the same release — never an uninstall and install — its Deployment kept
 * and its state unchanged, said in its log and timeline.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logFiles } from '../../src-main/core/logs/log-files';
import { tailLog } from '../../src-main/core/logs/log-reader';
import { waitFor } from '../support/engine-harness';
import { describeWith, helmBin, INFRA_BIN, KUBECONFIG_FILE } from '../support/engines';
import { watchHarnesses } from '../support/watch-harness';

const open = watchHarnesses();
const namespace = `pcc-watch-${process.pid}`;
const kubectl = (...args: string[]) =>
  execFileSync(join(INFRA_BIN, 'kubectl'), ['--kubeconfig', KUBECONFIG_FILE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const helm = (...args: string[]) =>
  execFileSync(helmBin(), ['--kubeconfig', KUBECONFIG_FILE, '-n', namespace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWith('kubernetes')('watch of a Helm chart', () => {
  beforeAll(() => void kubectl('create', 'namespace', namespace));
  afterAll(() => void kubectl('delete', 'namespace', namespace, '--wait=false'));

  it('upgrades the release to its next revision when a chart file changes, keeping its Deployment', async () => {
    const registry = [
      '[services.chart]',
      'watch = { paths = ["chart/**"], debounce = "200ms" }',
      '[services.chart.deployment]',
      'mode = "kubernetes"',
      `kubernetes = { namespace = "${namespace}", helm = { chart = "./chart" } }`,
      '[services.chart.startup]',
      'timeout = "90s"',
      '',
    ].join('\n');
    const h = await open(registry, [], { ...process.env, KUBECONFIG: KUBECONFIG_FILE, HELM_BIN: helmBin() });
    cpSync(join(process.cwd(), 'platform', 'charts', 'web'), join(h.dir, 'chart'), { recursive: true });
    expect((await h.engine.start('chart')).state).toBe('healthy');
    const revision = () => JSON.parse(helm('status', 'chart', '-o', 'json')) as { version: number };
    expect(revision().version).toBe(1);
    const uid = kubectl('get', 'deployment', 'chart', '-n', namespace, '-o', 'jsonpath={.metadata.uid}');
    await h.engine.watch(['chart'], true);
    const values = join(h.dir, 'chart', 'values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace('message: hello from the web chart', 'message: edited while watched'));
    const logs = logFiles(join(h.engine.home, 'services', 'logs'), 'chart');
    await waitFor(async () => (await tailLog(logs)).some((l) => l.text === 'upgraded: its new revision is ready'), 120_000);
    expect(revision().version).toBe(2);
    expect(helm('get', 'values', 'chart', '--all', '-o', 'json')).toContain('edited while watched');
    expect(kubectl('get', 'deployment', 'chart', '-n', namespace, '-o', 'jsonpath={.metadata.uid}')).toBe(uid);
    const trigger = h.events.find((e) => e.transition?.watch)!.transition!;
    expect(trigger).toMatchObject({ reason: 'watch: chart/values.yaml changed → upgrade', watch: { action: 'upgrade' } });
    // No stop, no new start: the run went on under the upgrade.
    const after = h.events.slice(h.events.indexOf(h.events.find((e) => e.transition === trigger)!) + 1);
    expect(after.filter((e) => e.transition && ['stopping', 'stopped', 'starting'].includes(e.status.state))).toEqual([]);
    expect(h.engine.status()[0]!.state).toBe('healthy');
    expect((await h.engine.stop('chart')).state).toBe('stopped');
  }, 240_000);
});
