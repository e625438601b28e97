/**
 * When a binary service's hooks run (run-hook.ts): `pre_start` before its process is spawned (its
 * failure fails the start, quoting its output), `post_start` once it is launched (a failure is only
 * logged), and on stop `pre_stop` then `stop_command`, each within its own timeout and what is left
 * of `stop_timeout`, so the stop signal and the final kill still come in time.
 */
import type { Hook, ServiceDefinition } from '@shared/model';
import { secretMask } from '@shared/model/secret-mask';
import type { LogFiles } from '../../logs/log-files';
import { baseEnvironment } from '../base-environment';
import { StartError, type RunContext } from '../driver';
import { commandSpec, launchSpec, runAsOf, type LaunchSpec } from './launch-spec';
import { describeHook, runHook, type HookContext } from './run-hook';

/** Its summary names the command as the registry writes it: an env file's secret in it reads `${NAME}`. */
const hookContext = (service: ServiceDefinition, spec: LaunchSpec, logs: LogFiles): HookContext => ({
  cwd: spec.cwd,
  env: spec.env,
  logs,
  mask: secretMask(service.fromEnvFiles),
  ...(spec.runAs ? { runAs: spec.runAs } : {}),
});

export async function runPreStart(service: ServiceDefinition, spec: LaunchSpec, logs: LogFiles): Promise<void> {
  const hook = service.startup.pre_start;
  if (!hook) return;
  const outcome = await runHook('pre_start', hook, hookContext(service, spec, logs));
  if (!outcome.ok) throw new StartError(`pre_start failed: ${describeHook(outcome)}`);
}

/** Runs `post_start` beside the service; its outcome goes to the log only. */
export function startPostStart(service: ServiceDefinition, spec: LaunchSpec, logs: LogFiles): void {
  const hook = service.startup.post_start;
  if (hook) void runHook('post_start', hook, hookContext(service, spec, logs));
}

/** `pre_stop`, then `stop_command`, before `deadline`; failures are logged by the hooks and the stop goes on. */
export async function stopHooks(service: ServiceDefinition, context: RunContext, deadline: number): Promise<void> {
  const { pre_stop, stop_command } = service.startup;
  if (!pre_stop && !stop_command) return;
  const hooks = hookContext(service, stopSpec(service, context), context.logs);
  const run = async (name: 'pre_stop' | 'stop_command', hook: Hook | undefined) => {
    const left = deadline - Date.now();
    if (hook && left > 0) await runHook(name, hook, hooks, Math.min(hook.timeout, left));
  };
  await run('pre_stop', pre_stop);
  await run('stop_command', stop_command);
}

/**
 * The service's environment at stop time. A stop may come from a client that did not give the
 * values its env references read (they are given per request): the hooks then get the base
 * environment, never a stop refused for want of a secret.
 */
function stopSpec(service: ServiceDefinition, context: RunContext): LaunchSpec {
  try {
    return launchSpec(service, context);
  } catch {
    const { runAs } = runAsOf(service);
    return { ...commandSpec(service, context), env: baseEnvironment(context.env), ...(runAs ? { runAs } : {}) };
  }
}
