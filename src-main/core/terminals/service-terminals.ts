/**
 * The engine's side of a terminal session: which terminals a service offers now (its status's
 * `terminals`), and opening one — through its driver's `exec`, or an attach to its own program —
 * with a lifecycle line in the service's log and an entry in the events timeline when it opens and
 * when it closes ("terminal opened by cli: psql (+1 argument)", "terminal closed, exit 0"): the
 * program's name, never its arguments (they may hold a password). Nothing opens a terminal but a
 * person asking for one.
 */
import { basename } from 'node:path';
import type { ServiceStatus, TimelineEvent } from '@shared/contract/service-state';
import { isRunning } from '@shared/contract/state-meaning';
import type { SessionFace, TerminalKind } from '@shared/contract/terminal';
import type { ServiceDefinition } from '@shared/model';
import type { RunContext, ServiceDriver } from '../drivers/driver';
import { modeOf } from '../drivers/modes';
import { EngineError } from '../engine-errors';
import type { ProcessRecord } from '../state/service-record';
import type { TerminalEnd, TerminalProcess, TerminalRequest } from './terminal-process';
import { attachToPty } from '../interactive/pty-attach';

export interface TerminalOpen extends TerminalRequest {
  readonly kind: TerminalKind;
  /** Who asks: named in the log line. */
  readonly face: SessionFace;
}

/** What the engine knows of the service a terminal opens into. */
export interface TerminalTarget {
  readonly service: ServiceDefinition;
  readonly status: ServiceStatus;
  readonly driver: ServiceDriver;
  readonly record: ProcessRecord | undefined;
  readonly context: RunContext;
  /** A lifecycle line in its log and an entry in the events timeline. */
  readonly tell: (text: string, note: NonNullable<TimelineEvent['terminal']>) => void;
}

/** Terminals a service offers now: `exec` while it runs in a mode whose driver has one; `attach` while an interactive one runs (on its pty shim's terminal). */
export function terminalsOf(status: ServiceStatus, service: ServiceDefinition | undefined): TerminalKind[] {
  if (!service || !isRunning(status)) return [];
  return [...(modeOf(service).exec ? (['exec'] as const) : []), ...(service.interactive ? (['attach'] as const) : [])];
}

/** Opens the terminal, told in the service's log and timeline; its end is told too. */
export async function openServiceTerminal(target: TerminalTarget, open: TerminalOpen): Promise<TerminalProcess> {
  const { service, status, driver, record } = target;
  if (!terminalsOf(status, service).includes(open.kind) || !record) {
    throw new EngineError(
      open.kind === 'attach'
        ? `'${service.name}' has no program to attach to: only a running binary service with \`interactive = true\` has one`
        : `'${service.name}' is ${status.state}: a terminal opens into a running service; start it first (\`provisioning services start ${service.name}\`)`,
    );
  }
  if (open.kind === 'attach') return attached(target, record, open);
  if (!driver.exec) throw new EngineError(`'${service.name}' runs in ${service.deployment.mode} mode, which has no terminal`);
  const what = open.cmd ? programOf(open.cmd) : 'a shell';
  const process = await driver.exec(record, service, target.context, open).catch((error: Error) => {
    target.tell(`terminal by ${open.face} could not open (${what}): ${error.message}`, { face: open.face, phase: 'closed' });
    throw error;
  });
  target.tell(`terminal opened by ${open.face}: ${what}${open.tty ? '' : ' (pipes)'}`, { face: open.face, phase: 'opened' });
  void process.ended.then((end) => target.tell(`terminal closed (opened by ${open.face}), ${endOf(end)}`, { face: open.face, phase: 'closed' }));
  return process;
}

/** An attach to the service's own program (interactive/pty-attach.ts): told as attached and detached. */
async function attached(target: TerminalTarget, record: ProcessRecord, open: TerminalOpen): Promise<TerminalProcess> {
  const by = `by ${open.face}${open.tty ? '' : ' (pipes)'}`;
  const process = await attachToPty(target.context.home, record.instance, open).catch((error: Error) => {
    target.tell(`attach ${by} failed: ${error.message}`, { face: open.face, phase: 'closed' });
    throw new EngineError(`cannot attach to '${target.service.name}': ${error.message}`);
  });
  target.tell(`attached ${by}`, { face: open.face, phase: 'opened' });
  const ended = (end: TerminalEnd) => (end.reason === 'detached' ? `detached ${by}` : `attach ${by} ended: ${end.reason ?? 'its terminal closed'}`);
  void process.ended.then((end) => target.tell(ended(end), { face: open.face, phase: 'closed' }));
  return process;
}

export function endOf(end: TerminalEnd): string {
  const how = end.signal ? `killed by ${end.signal}` : end.code === null ? 'exit unknown' : `exit ${end.code}`;
  return end.reason ? `${how}: ${end.reason}` : how;
}

/**
 * A command as shown in a log line and the timeline, which are kept: its program's name and how
 * many arguments it had, never the arguments themselves (`psql postgres://user:password@…`).
 */
function programOf(cmd: readonly string[]): string {
  const name = basename(cmd[0] ?? '').slice(0, 60);
  const shown = /^[\w.+-]+$/.test(name) ? name : JSON.stringify(name);
  const rest = cmd.length - 1;
  return rest > 0 ? `${shown} (+${rest} argument${rest === 1 ? '' : 's'})` : shown;
}
