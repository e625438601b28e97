/**
 * The owner's events timeline as the views see it (zustand): fetched once (`events`), then kept
 * current from the state events that carry a `transition`, and caught up after a reconnect from the
 * last seq seen. The Events view's filter lives here too, so the problems bar can open it filtered.
 */
import { create } from 'zustand';
import type { TimelineEvent } from '@shared/contract/service-state';
import type { ContractClient } from '../api/contract-client';

/** As many as the owner keeps. */
const KEPT = 2_000;

export interface EventsFilter {
  readonly service: string;
  /** A state, 'problems' (failures and refusals), or '' for all. */
  readonly state: string;
  readonly text: string;
}

interface EventsState {
  /** Oldest first. */
  readonly events: readonly TimelineEvent[];
  readonly filter: EventsFilter;
  setFilter(filter: Partial<EventsFilter>): void;
}

export const NO_FILTER: EventsFilter = { service: '', state: '', text: '' };

export const useEvents = create<EventsState>((set) => ({
  events: [],
  filter: NO_FILTER,
  setFilter: (filter) => set((state) => ({ filter: { ...state.filter, ...filter } })),
}));

/** The two lists as one, each entry once, in seq order, the newest KEPT. */
export function mergeEvents(kept: readonly TimelineEvent[], more: readonly TimelineEvent[]): TimelineEvent[] {
  const bySeq = new Map(kept.map((event) => [event.seq, event]));
  for (const event of more) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-KEPT);
}

const add = (more: readonly TimelineEvent[]) => useEvents.setState((state) => ({ events: mergeEvents(state.events, more) }));

/** Keeps the store in step with the owner's timeline; returns how to stop. */
export function followEvents(client: ContractClient): () => void {
  const catchUp = () => {
    const sinceSeq = useEvents.getState().events.at(-1)?.seq ?? 0;
    // An older owner has no timeline: the views show none rather than failing.
    client.call('events', { sinceSeq, limit: KEPT }).then(add, () => undefined);
  };
  const stopEvents = client.onEvent((event) => event.transition && add([event.transition]));
  const stopReconnect = client.onReconnect(catchUp);
  catchUp();
  return () => {
    stopEvents();
    stopReconnect();
  };
}
