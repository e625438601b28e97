/**
 * Everything an owner pushes to a connection without being asked, as one union: numbered state
 * events, log batches, registry changes and operation plans. Each kind is told by its one key
 * (`event`, `logs`, `registry`, `plan`), not by a `type` tag, so the wire stays what owners already
 * send. Senders build messages with `pushed.*` (the union checked when they compile); receivers
 * route them with `routePushed`, which checks each against its kind's schema.
 */
import { z } from 'zod';
import { logMessageSchema, type LogMessage } from './logs';
import { operationPlanSchema, type OperationPlan } from './platform';
import { registryMessageSchema } from './registry';
import { stateEventSchema, type StateEvent } from './service-state';
import { terminalExitMessageSchema, terminalMessageSchema, type TerminalExitMessage, type TerminalMessage } from './terminal';

/**
 * An event as a connection receives it: numbered from the snapshot `subscribe` answered with, one
 * more each time, so a receiver that sees a gap knows it missed something and subscribes again.
 */
export const eventMessageSchema = z.object({ seq: z.number().int().positive(), event: stateEventSchema });
export type EventMessage = z.infer<typeof eventMessageSchema>;

export type RegistryMessage = z.infer<typeof registryMessageSchema>;

/** Sent to the connection that asked, as a platform operation begins (see OperationPlan). */
export const planMessageSchema = z.object({ plan: operationPlanSchema });
export type PlanMessage = z.infer<typeof planMessageSchema>;

export type PushedMessage = EventMessage | LogMessage | RegistryMessage | PlanMessage | TerminalMessage | TerminalExitMessage;

/** The only way senders make pushed messages. */
export const pushed = {
  event: (seq: number, event: StateEvent): EventMessage => ({ seq, event }),
  logs: (logs: LogMessage['logs']): LogMessage => ({ logs }),
  registryChanged: (changed: number): RegistryMessage => ({ registry: { changed } }),
  plan: (plan: OperationPlan): PlanMessage => ({ plan }),
  terminal: (terminal: TerminalMessage['terminal']): TerminalMessage => ({ terminal }),
  terminalExit: (terminalExit: TerminalExitMessage['terminalExit']): TerminalExitMessage => ({ terminalExit }),
} as const;

/** What a receiver does with each kind; a kind without a handler is dropped. */
export interface PushedHandlers {
  event?(message: EventMessage): void;
  logs?(logs: LogMessage['logs']): void;
  registryChanged?(changed: number): void;
  plan?(plan: OperationPlan): void;
  terminal?(output: TerminalMessage['terminal']): void;
  terminalExit?(exit: TerminalExitMessage['terminalExit']): void;
}

/**
 * Gives a pushed message to the handler of its kind, once it matches that kind's schema. False when
 * it is no pushed message of this contract (or a malformed one): it is dropped, never thrown on.
 */
export function routePushed(message: unknown, handlers: PushedHandlers): boolean {
  if (typeof message !== 'object' || message === null) return false;
  if ('event' in message) return deliver(eventMessageSchema, message, (m) => handlers.event?.(m));
  if ('logs' in message) return deliver(logMessageSchema, message, (m) => handlers.logs?.(m.logs));
  if ('registry' in message) return deliver(registryMessageSchema, message, (m) => handlers.registryChanged?.(m.registry.changed));
  if ('plan' in message) return deliver(planMessageSchema, message, (m) => handlers.plan?.(m.plan));
  if ('terminal' in message) return deliver(terminalMessageSchema, message, (m) => handlers.terminal?.(m.terminal));
  if ('terminalExit' in message) return deliver(terminalExitMessageSchema, message, (m) => handlers.terminalExit?.(m.terminalExit));
  return false;
}

function deliver<T>(schema: z.ZodType<T>, message: unknown, handle: (message: T) => void): boolean {
  const parsed = schema.safeParse(message);
  if (parsed.success) handle(parsed.data);
  return parsed.success;
}
