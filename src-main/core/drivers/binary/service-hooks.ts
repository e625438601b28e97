/**
 * When a binary service's hooks run (run-hook.ts): `pre_start` before its process is spawned (its
 * failure fails the start, quoting its output), `post_start` once it is launched (a failure is only
 * logged), and on stop `pre_stop` then `stop_command`, each within its own timeout and what is left
 * of `stop_timeout`, so the stop signal and the final kill still come in time.
 */
import type { Hook, ServiceDefinition } from '@shared/model';
import { secretMask } from '@shared/model/secret-mask';
import { baseEnvironment } from '../base-environment';
import { StartError, type RunContext } from '../driver';
import { hookMarker } from './hook-orphans';
import { commandSpec, launchSpec, runAsOf, type LaunchSpec } from './launch-spec';
import { describeHook, runHook, type HookContext } from './run-hook';

/** Its summary names the command as the registry writes it: an env file's secret in it reads `${NAME}`. */
const hookContext = (service: ServiceDefinition, spec: LaunchSpec, context: RunContext): HookContext => ({
  cwd: spec.cwd,
  // Marked as this home's: a hook its owner's death left running is ended by the next owner.
  env: { ...spec.env, ...hookMarker(context.home) },
  logs: context.logs,
  mask: secretMask(service.fromEnvFiles),
  ...(spec.runAs ? { runAs: spec.runAs } : {}),
});

export async function runPreStart(service: ServiceDefinition, spec: LaunchSpec, context: RunContext): Promise<void> {
  const hook = service.startup.pre_start;
  if (!hook) return;
  const outcome = await runHook('pre_start', hook, hookContext(service, spec, context));
  if (!outcome.ok) throw new StartError(`pre_start failed: ${describeHook(outcome)}`);
}

/** Runs `post_start` beside the service; its outcome goes to the log only. */
export function startPostStart(service: ServiceDefinition, spec: LaunchSpec, context: RunContext): void {
  const hook = service.startup.post_start;
  if (hook) void runHook('post_start', hook, hookContext(service, spec, context));
}

/** `pre_stop`, then `stop_command`, before `deadline`; failures are logged by the hooks and the stop goes on. */
export async function stopHooks(service: ServiceDefinition, context: RunContext, deadline: number): Promise<void> {
  const { pre_stop, stop_command } = service.startup;
  if (!pre_stop && !stop_command) return;
  const hooks = hookContext(service, stopSpec(service, context), context);
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
