/**
 * A Docker engine of a test's own (root only), so a test can stop and start it without disturbing
 * the machine's engine that other tests use: its own socket, data, exec root and containerd, its own
 * default bridge (with none, dockerd deletes the machine's docker0 on start), no iptables rules,
 * live-restore on (containers outlive the daemon), the oom wrapper runtime of
 * scripts/infra/docker.sh, and the local busybox image loaded into it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli-run';
import { waitFor } from './engine-harness';

export interface PrivateDockerd {
  readonly host: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export function privateDockerd(): PrivateDockerd {
  const dir = tempDir('pcc-dockerd-');
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const pidFile = join(dir, 'dockerd.pid');
  const answers = () => {
    try {
      execFileSync('docker', ['-H', host, 'info'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const pid = () => Number(execFileSync('cat', [pidFile], { encoding: 'utf8' }));
  const bridge = `pccbr${process.pid % 100000}`;
  const self: PrivateDockerd = {
    host,
    start: async () => {
      execFileSync('sh', [
        '-c',
        `ip link show ${bridge} >/dev/null 2>&1 || { ip link add ${bridge} type bridge && ip addr add 10.213.${process.pid % 250}.1/24 dev ${bridge} && ip link set ${bridge} up; }`,
      ]);
      const args = [
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        pidFile,
        '-H',
        host,
        `--bridge=${bridge}`,
        '--iptables=false',
        '--live-restore',
      ];
      const runtime = ['--add-runtime', 'nooom=/usr/local/bin/runc-nooom', '--default-runtime', 'nooom'];
      spawn('dockerd', [...args, ...runtime], { stdio: 'ignore', detached: true }).unref();
      await waitFor(answers, 30_000);
    },
    stop: async () => {
      process.kill(pid(), 'SIGTERM');
      await waitFor(() => !answers() && !execFileSync('sh', ['-c', `test -e ${pidFile} && echo up || true`], { encoding: 'utf8' }).trim(), 30_000);
    },
    remove: async () => {
      execFileSync('sh', ['-c', `docker -H ${host} rm -f $(docker -H ${host} ps -aq) 2>/dev/null; kill $(cat ${pidFile}) 2>/dev/null; true`]);
      await waitFor(() => !answers(), 30_000);
      execFileSync('sh', [
        '-c',
        `for m in $(grep ' ${dir}' /proc/mounts | cut -d' ' -f2 | sort -r); do umount -l $m; done; ip link del ${bridge} 2>/dev/null; true`,
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return {
    ...self,
    start: async () => {
      await self.start();
      execFileSync('sh', ['-c', `docker save local/busybox:test | docker -H ${host} load -q`], { stdio: 'ignore' });
    },
  };
}
