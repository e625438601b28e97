/**
 * Everything that would stop a start, found before anything starts and reported all at once: the
 * command exists and is executable, what the deployment mode needs is there (Docker, Compose, helm,
 * a reachable cluster), env references are set, no declared conflict runs, the ports it listens on
 * are free. A failed preflight starts nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ServiceStatus } from '@shared/contract/service-state';
import { isLive } from '@shared/contract/state-meaning';
import type { ServiceDefinition } from '@shared/model';
import type { RegistryContext } from '../drivers/driver';
import { envReferences, envValueOf } from '../drivers/env-references';
import { modeOf } from '../drivers/modes';
import type { MachineQuestions } from './machine-questions';
import { managedProcesses } from '../process/managed-processes';
import { portOwner } from './port-owners';

export class PreflightError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`cannot start ${service}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PreflightError';
  }
}

export interface PreflightInput {
  readonly service: ServiceDefinition;
  readonly context: RegistryContext;
  /** The machine's answers (Docker, Compose, helm, a cluster), asked once for many services. */
  readonly machine: MachineQuestions;
  /** The current state of the other registry services. */
  readonly statusOf: (name: string) => ServiceStatus | undefined;
}

export async function preflight({ service, context, machine, statusOf }: PreflightInput): Promise<string[]> {
  const problems: string[] = [];
  problems.push(...(await modeOf(service).needs(service, context, machine)));
  problems.push(...envProblems(service, context.given));
  for (const other of service.conflicts) {
    const status = statusOf(other);
    if (status && isLive(status.state)) problems.push(`conflicts with '${other}', which is ${status.state}${status.pid ? ` (pid ${status.pid})` : ''}`);
    else if (!status) {
      const pid = processNamed(other);
      if (pid) problems.push(`conflicts with ${other}, which is running (pid ${pid})`);
    }
  }
  for (const port of service.ports) {
    const { number, protocol } = portSpec(port);
    const owner = await portOwner(number, protocol);
    if (owner)
      problems.push(
        `port ${number}/${protocol} is taken${owner.pid ? ` by pid ${owner.pid} (${owner.command ?? 'unknown command'})${ours(owner.pid, context.home)}` : ''}`,
      );
  }
  return problems;
}

/**
 * Whose the port's holder is when it is one of this home's own processes (its cgroups, else its
 * markers): an escaped daemon or a leftover of a service is named as such, not as a stranger.
 */
function ours(pid: number, home: string): string {
  const found = managedProcesses(home).find((p) => p.pid === pid);
  return found?.service ? `, ${OURS_PREFIX}${found.service}${OURS_SUFFIX}` : '';
}
const OURS_PREFIX = 'a process of service ';
const OURS_SUFFIX = ' started from this home';

/** A registry port (`8080`, `"53/udp"`) as number and protocol. */
export function portSpec(port: ServiceDefinition['ports'][number]): { number: number; protocol: 'tcp' | 'udp' } {
  return typeof port === 'number' ? { number: port, protocol: 'tcp' } : { number: Number(port.split('/')[0]), protocol: port.split('/')[1] as 'tcp' | 'udp' };
}

/** The port and the pid holding it that a taken-port refusal names, when the holder is not one of ours (readiness.ts may offer to stop it). */
export function portTakenOf(problem: string): { port: number; protocol: 'tcp' | 'udp'; pid: number } | undefined {
  if (problem.endsWith(OURS_SUFFIX)) return undefined;
  const taken = /^port (\d+)\/(tcp|udp) is taken by pid (\d+) \(/.exec(problem);
  return taken ? { port: Number(taken[1]), protocol: taken[2] as 'tcp' | 'udp', pid: Number(taken[3]) } : undefined;
}

/** The service of ours a taken-port refusal names as the port's holder, if it names one (readiness.ts offers to stop it). */
export function portHolderOf(problem: string): string | undefined {
  if (!problem.startsWith('port ') || !problem.endsWith(OURS_SUFFIX)) return undefined;
  const at = problem.lastIndexOf(OURS_PREFIX);
  return at < 0 ? undefined : problem.slice(at + OURS_PREFIX.length, -OURS_SUFFIX.length);
}

/** Env references anywhere in the service (deployment env, check headers, remote token) must be given. */
function envProblems(service: ServiceDefinition, given: RegistryContext['given']): string[] {
  return envReferences(service)
    .filter((reference) => envValueOf(given, reference.name) === undefined)
    .map((reference) => `environment variable ${reference.name} is not set (${reference.where})`);
}

/** A live process whose name (or command's file name) is this one: an outside conflict such as dnsmasq. */
function processNamed(name: string): number | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name) return pid;
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000')[0];
      if (argv0 && basename(argv0) === name) return pid;
    } catch {
      // gone
    }
  }
  return undefined;
}
