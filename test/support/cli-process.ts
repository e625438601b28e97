/** The real `provisioning` CLI as child processes on a private home, and cleanup of what they leave. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { managedProcesses } from '../../src-main/core/process/managed-processes';
import { tempDir } from './cli-run';

export interface CliProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Home {
  readonly home: string;
  readonly registry: string;
  run(args: string[]): Promise<CliProcessResult>;
  spawn(args: string[]): ChildProcess;
  /** The CLI with its output captured as it comes, for signals mid-run. */
  spawnPiped(args: string[]): { child: ChildProcess; stdout(): string; stderr(): string; exited: Promise<number | null> };
  /** Pids of live processes of a service (main process and descendants). */
  processes(service: string): number[];
  /** Pid of the daemon that owns this home, if any. */
  daemonPid(): Promise<number | undefined>;
  cleanup(): Promise<void>;
}

export function privateHome(registryText: string): Home {
  const home = tempDir('pcc-home-');
  const registry = join(tempDir('pcc-registry-'), 'services.toml');
  writeFileSync(registry, registryText);
  // Each home lists only its own owner unless a test shares one index (the two-homes test), and none lands in the real ~/.provisioning.
  const owners = process.env['PROVISIONING_OWNERS_DIR'] ?? join(home, 'owners-index');
  const env = { ...process.env, PROVISIONING_HOME: home, PROVISIONING_CONFIG: registry, PROVISIONING_OWNERS_DIR: owners, NO_COLOR: '1' };
  const cli = join(process.cwd(), 'bin', 'provisioning.js');
  const run = (args: string[]) =>
    new Promise<CliProcessResult>((resolve) =>
      execFile(process.execPath, [cli, ...args], { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );
  return {
    home,
    registry,
    run,
    spawn: (args) => spawn(process.execPath, [cli, ...args], { env, stdio: 'ignore' }),
    spawnPiped: (args) => {
      const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      return { child, stdout: () => stdout, stderr: () => stderr, exited };
    },
    processes: (service) =>
      managedProcesses(home)
        .filter((p) => p.service === service)
        .map((p) => p.pid),
    daemonPid: async () => {
      const { stdout } = await run(['daemon', 'status', '--json']);
      return (JSON.parse(stdout) as { pid?: number }).pid;
    },
    cleanup: async () => {
      await run(['daemon', 'stop']);
      for (const p of managedProcesses(home)) process.kill(p.pid, 'SIGKILL');
    },
  };
}

/** Private homes (on one registry unless told another), made as a test needs them and all cleaned up by `cleanup` (an afterEach). */
export function privateHomes(registryText: string): { create(text?: string): Home; cleanup(): Promise<void> } {
  const made: Home[] = [];
  return {
    create: (text = registryText) => {
      const home = privateHome(text);
      made.push(home);
      return home;
    },
    cleanup: async () => {
      for (const home of made.splice(0)) await home.cleanup();
    },
  };
}
