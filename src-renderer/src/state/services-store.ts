/**
 * The live snapshot of every service (zustand): the contract's snapshot, then its numbered events,
 * applied at most once per animation frame so a burst of events is one render. A missed event (or a
 * reconnect) subscribes again for a fresh snapshot.
 */
import { create } from 'zustand';
import { applyEvent, mirrorOf, type StateMirror } from '@shared/contract/state-mirror';
import { eventMessageSchema, type EventMessage } from '@shared/contract/wire';
import type { ContractClient } from '../api/contract-client';

interface ServicesState {
  readonly mirror: StateMirror | undefined;
  /** Why the snapshot is not live, when it is not. */
  readonly problem: string | undefined;
}

export const useServices = create<ServicesState>(() => ({ mirror: undefined, problem: undefined }));

/** Keeps the store in step with the engine; returns how to stop. */
export function followServices(client: ContractClient): () => void {
  let queued: EventMessage[] = [];
  let frame = 0;
  let resubscribing = false;

  const subscribe = async () => {
    resubscribing = true;
    queued = [];
    try {
      const snapshot = await client.call('subscribe');
      useServices.setState({ mirror: mirrorOf(snapshot), problem: undefined });
      // Events of this subscription may have arrived before its snapshot.
      if (queued.length > 0) frame ||= requestAnimationFrame(flush);
    } catch (error) {
      useServices.setState({ problem: (error as Error).message });
    } finally {
      resubscribing = false;
    }
  };

  const flush = () => {
    frame = 0;
    let mirror = useServices.getState().mirror;
    if (!mirror || resubscribing) return;
    for (const message of queued) {
      const next = applyEvent(mirror, message);
      if (next === 'gap') {
        void subscribe();
        return;
      }
      mirror = next;
    }
    queued = [];
    useServices.setState({ mirror });
  };

  const stopPush = client.onPush((message) => {
    const event = eventMessageSchema.safeParse(message);
    if (!event.success) return;
    queued.push(event.data);
    frame ||= requestAnimationFrame(flush);
  });
  const stopReconnect = client.onReconnect(() => void subscribe());
  void subscribe();
  return () => {
    stopPush();
    stopReconnect();
    cancelAnimationFrame(frame);
  };
}
