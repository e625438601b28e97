/**
 * A face's copy of the engine's state: the snapshot `subscribe` answers with, kept current by the
 * numbered events after it. An event out of turn means one was missed; the face subscribes again.
 * Pure, so the CLI, the renderer's store and the tray all keep their copy the same way.
 */
import type { ServiceStatus } from './service-state';
import type { EventMessage } from './pushed';

export interface StateMirror {
  readonly seq: number;
  readonly services: ReadonlyMap<string, ServiceStatus>;
}

export function mirrorOf(snapshot: { readonly seq: number; readonly services: readonly ServiceStatus[] }): StateMirror {
  return { seq: snapshot.seq, services: new Map(snapshot.services.map((status) => [status.name, status])) };
}

/** The mirror with the event applied; the same mirror for one already seen; 'gap' when one was missed. */
export function applyEvent(mirror: StateMirror, message: EventMessage): StateMirror | 'gap' {
  if (message.seq <= mirror.seq) return mirror;
  if (message.seq !== mirror.seq + 1) return 'gap';
  const services = new Map(mirror.services);
  services.set(message.event.status.name, message.event.status);
  return { seq: message.seq, services };
}
