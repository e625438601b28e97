/**
 * Where a binary service's standard streams go, both held by a shim that outlives any manager: its
 * stdout and stderr piped to its log shim (stdin closed), or, for an `interactive` service, all
 * three on a terminal whose master its pty shim holds (interactive/pty-shim.ts), which logs what
 * it prints and lets people attach.
 */
import type { StdioNull } from 'node:child_process';
import type { ServiceDefinition } from '@shared/model';
import { logShimScript, startLogShim } from '../../logs/log-shim-launch';
import { ptyShimScript, startPtyShim, ttyLaunch } from '../../interactive/pty-shim-launch';
import { StartError, type RunContext } from '../driver';
import type { LaunchSpec } from './launch-spec';

export interface ServiceOutput {
  readonly stdio: [StdioNull | number, number, number];
  /** The service's argv as spawned: on a terminal, through ttyLaunch, so the terminal becomes its controlling one. */
  launch(argv: readonly [string, readonly string[]]): [string, string[]];
  /** Closes the manager's copies and lets the shim go on alone: call once the service is spawned, or could not be. */
  release(): void;
  /** Resolves once the shim wrote everything and ended. */
  readonly drained: Promise<void>;
}

export async function startServiceOutput(service: ServiceDefinition, spec: LaunchSpec, instance: string, context: RunContext): Promise<ServiceOutput> {
  const label = `${service.name} ${instance}`;
  if (service.interactive) {
    const script = ptyShimScript();
    if (!script) throw new StartError('the pty shim is not built (out/cli/pty-shim.js): run `npm install` or `npm run build` in the package folder');
    try {
      const { fd, release, drained } = await startPtyShim(script, context.home, context.logs.rawStdout, instance, label, spec.runAs);
      return { stdio: [fd, fd, fd], launch: ([file, args]) => ttyLaunch(file, args), release, drained };
    } catch (error) {
      throw new StartError(`could not start its terminal (the pty shim): ${(error as Error).message}`);
    }
  }
  const script = logShimScript();
  if (!script) throw new StartError('the log shim is not built (out/cli/log-shim.js): run `npm install` or `npm run build` in the package folder');
  try {
    const { fds, release, drained } = await startLogShim(script, context.logs, instance, label);
    return { stdio: ['ignore', fds[0], fds[1]], launch: ([file, args]) => [file, [...args]], release, drained };
  } catch (error) {
    throw new StartError(`could not start the log shim: ${(error as Error).message}`);
  }
}
