/**
 * Turns a binary service's registry entry into what to execute: placeholders expanded, relative
 * paths resolved at the registry, env references read from the manager's environment.
 */
import { isAbsolute, resolve } from 'node:path';
import { expandPlaceholders, type ServiceDefinition } from '@shared/model';
import { StartError, type RegistryContext, type RunContext } from '../driver';
import { resolveEnv } from '../resolve-env';

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly shell: boolean;
}

/** What to execute and where: placeholders expanded, relative paths resolved at the registry. */
export function commandSpec(service: ServiceDefinition, context: RegistryContext): Omit<LaunchSpec, 'env'> {
  const binary = service.deployment.binary;
  if (!binary) throw new StartError(`services.${service.name}.deployment.binary is missing`);
  const expand = (text: string) => expandPlaceholders(text, { home: context.home, registry_dir: context.registryDir });
  const command = expand(binary.command);
  // A bare name is looked up on PATH; anything with a slash is a path, relative to the registry.
  const isPath = !binary.shell && command.includes('/');
  return {
    command: isPath && !isAbsolute(command) ? resolve(context.registryDir, command) : command,
    args: binary.args.map(expand),
    cwd: resolve(context.registryDir, expand(binary.cwd ?? '.')),
    shell: binary.shell,
  };
}

/** The command spec plus its environment: the manager's, the registry's, env references read. */
export function launchSpec(service: ServiceDefinition, context: RunContext): LaunchSpec {
  const spec = commandSpec(service, context);
  const binary = service.deployment.binary!;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(context.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, resolveEnv(binary.env, `services.${service.name}.deployment.binary.env`, context));
  return { ...spec, env };
}
