/** What a binary service needs before a start: its working directory, its account (`user` / `group`), and its command on the child's PATH, executable. */
import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import type { ServiceDefinition } from '@shared/model';
import { findOnPath } from '../../preflight/find-on-path';
import type { RegistryContext } from '../driver';
import { envValueOf } from '../env-references';
import { commandSpec, runAsOf } from './launch-spec';

export async function binaryProblems(service: ServiceDefinition, context: RegistryContext): Promise<string[]> {
  const spec = commandSpec(service, context);
  const problems: string[] = [];
  if (!existsSync(spec.cwd)) problems.push(`working directory missing: ${spec.cwd}`);
  const { problem } = runAsOf(service);
  if (problem) problems.push(problem);
  if (spec.shell) return problems;
  // The child's PATH decides the lookup: the registry may set its own.
  const childPath = service.deployment.binary?.env['PATH'];
  const searchPath = typeof childPath === 'string' ? childPath : ((childPath ? envValueOf(context.given, childPath.env) : context.env['PATH']) ?? '');
  const path = spec.command.includes('/') ? spec.command : findOnPath(spec.command, searchPath);
  if (!path) problems.push(`command not found: ${spec.command} (not on PATH)`);
  else if (!existsSync(path)) problems.push(`command not found: ${path}`);
  else if (
    !(await access(path, constants.X_OK).then(
      () => true,
      () => false,
    ))
  )
    problems.push(`not executable: ${path}`);
  return problems;
}
