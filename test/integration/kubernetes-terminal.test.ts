/**
 * A terminal into a kubernetes service's pod (issue 21), on the real single-node cluster: the
 * Kubernetes exec API runs `echo $HOSTNAME` in the Deployment's pod (its hostname is the pod's
 * name), passes the exit code, and in a TTY follows a resize (`stty size`).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';
import { harnesses, waitFor } from '../support/engine-harness';
import { describeWith, helmBin, INFRA_BIN, KUBECONFIG_FILE } from '../support/engines';
import type { TerminalEnd } from '../../src-main/core/terminals/terminal-process';

const { open } = harnesses();
const namespace = `pcc-term-${process.pid}`;
const kubectl = (...args: string[]) =>
  execFileSync(join(INFRA_BIN, 'kubectl'), ['--kubeconfig', KUBECONFIG_FILE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const dir = tempDir('pcc-kube-term-');

function registry(): string {
  writeFileSync(
    join(dir, 'kterm.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: kterm }',
      'spec:',
      '  replicas: 1',
      '  selector: { matchLabels: { app: kterm } }',
      '  template:',
      '    metadata: { labels: { app: kterm } }',
      '    spec:',
      '      terminationGracePeriodSeconds: 2',
      '      containers:',
      `        - { name: main, image: "local/busybox:test", imagePullPolicy: Never, command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done & wait"] }`,
      '',
    ].join('\n'),
  );
  return `[services.kterm.deployment]\nmode = "kubernetes"\nkubernetes = { namespace = "${namespace}", manifests = [${JSON.stringify(join(dir, 'kterm.yaml'))}] }\n[services.kterm.startup]\ntimeout = "60s"\nrestart = "no"\n`;
}

describeWith('kubernetes')('kubernetes terminals', () => {
  beforeAll(() => void kubectl('create', 'namespace', namespace));
  afterAll(() => void kubectl('delete', 'namespace', namespace, '--wait=false'));

  it('runs a command in the pod through the exec API (its hostname, its exit code), and resizes a TTY', async () => {
    const h = await open(registry(), { ...process.env, KUBECONFIG: KUBECONFIG_FILE, HELM_BIN: helmBin() });
    expect((await h.engine.start('kterm')).state).toBe('healthy');
    expect(h.engine.status().find((s) => s.name === 'kterm')?.terminals).toEqual(['exec']);
    const pod = kubectl('get', 'pods', '-n', namespace, '-l', 'app=kterm', '-o', 'jsonpath={.items[0].metadata.name}');

    let piped = '';
    const command = await h.engine.terminal('kterm', {
      kind: 'exec',
      face: 'cli',
      tty: false,
      cols: 80,
      rows: 24,
      cmd: ['sh', '-c', 'echo $HOSTNAME; exit 6'],
      output: (data) => (piped += data.toString()),
    });
    expect(await command.ended).toEqual<TerminalEnd>({ code: 6, signal: null });
    expect(piped).toBe(`${pod}\n`);

    let screen = '';
    const shell = await h.engine.terminal('kterm', { kind: 'exec', face: 'cli', tty: true, cols: 80, rows: 24, output: (data) => (screen += data.toString()) });
    // Asked again until answered: on a loaded machine the pod's shell may not read yet when the exec opens.
    let asked = 0;
    await waitFor(() => {
      if (/^24 80\r?$/m.test(screen)) return true;
      if (Date.now() - asked > 2_000) {
        asked = Date.now();
        shell.write(Buffer.from('stty size\n'));
      }
      return false;
    }, 60_000);
    shell.resize(111, 33);
    shell.write(Buffer.from('stty size; exit 0\n'));
    await waitFor(() => /^33 111\r?$/m.test(screen), 20_000);
    expect(await shell.ended).toEqual<TerminalEnd>({ code: 0, signal: null });
  }, 120_000);
});
