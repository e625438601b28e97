/**
 * The live snapshot of every service (zustand): the contract's snapshot, then its numbered events,
 * applied at most once per animation frame so a burst of events is one render (a hidden window gets
 * no frames: then four times a second). A missed event (or a reconnect) subscribes again for a
 * fresh snapshot, as does a backlog past MAX_QUEUED: a snapshot is cheaper than replaying it.
 */
import { create } from 'zustand';
import { applyEvent, mirrorOf, type StateMirror } from '@shared/contract/state-mirror';
import type { EventMessage } from '@shared/contract/pushed';
import type { ContractClient } from '../api/contract-client';

interface ServicesState {
  readonly mirror: StateMirror | undefined;
  /** Why the snapshot is not live, when it is not. */
  readonly problem: string | undefined;
}

const MAX_QUEUED = 10_000;

export const useServices = create<ServicesState>(() => ({ mirror: undefined, problem: undefined }));

/** Keeps the store in step with the engine; returns how to stop. */
export function followServices(client: ContractClient): () => void {
  let queued: EventMessage[] = [];
  let scheduled = false;
  let resubscribing = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    if (document.hidden) setTimeout(flush, 250);
    else requestAnimationFrame(flush);
  };

  const subscribe = async () => {
    resubscribing = true;
    queued = [];
    try {
      const snapshot = await client.call('subscribe');
      useServices.setState({ mirror: mirrorOf(snapshot), problem: undefined });
      // Events of this subscription may have arrived before its snapshot.
      if (queued.length > 0) schedule();
    } catch (error) {
      useServices.setState({ problem: (error as Error).message });
    } finally {
      resubscribing = false;
    }
  };

  const flush = () => {
    scheduled = false;
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

  const stopEvents = client.onEvent((event, seq) => {
    if (queued.length >= MAX_QUEUED && !resubscribing) return void subscribe();
    queued.push({ seq, event });
    schedule();
  });
  // The client saw the numbering break: a fresh snapshot, as for a reconnect.
  const stopGaps = client.onGap(() => void subscribe());
  const stopReconnect = client.onReconnect(() => void subscribe());
  void subscribe();
  return () => {
    stopEvents();
    stopGaps();
    stopReconnect();
    queued = [];
  };
}
