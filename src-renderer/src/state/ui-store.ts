/** What the person is looking at: the selected service, a highlighted set on the graph, folded groups, and notices. */
import { create } from 'zustand';

export type Highlight = { readonly kind: 'blast' | 'critical' | 'cycle'; readonly names: readonly string[] } | undefined;

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'error';
  readonly text: string;
}

/** A stop that would take running dependents down too, waiting for the person to confirm. */
export interface StopRequest {
  readonly name: string;
  readonly dependents: readonly string[];
}

interface UiState {
  readonly selected: string | undefined;
  readonly stopRequest: StopRequest | undefined;
  readonly highlight: Highlight;
  readonly notices: readonly Notice[];
  /** Groups (labels; '' for the services without one) folded on the graph and the cards alike. */
  readonly collapsed: ReadonlySet<string>;
  toggleGroup(group: string): void;
  select(name: string | undefined): void;
  askStop(request: StopRequest | undefined): void;
  setHighlight(highlight: Highlight): void;
  notify(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const useUi = create<UiState>((set) => ({
  selected: undefined,
  stopRequest: undefined,
  highlight: undefined,
  notices: [],
  collapsed: new Set(),
  toggleGroup: (group) =>
    set((state) => {
      const collapsed = new Set(state.collapsed);
      if (!collapsed.delete(group)) collapsed.add(group);
      return { collapsed };
    }),
  select: (selected) => set({ selected }),
  askStop: (stopRequest) => set({ stopRequest, highlight: stopRequest ? { kind: 'blast', names: [stopRequest.name, ...stopRequest.dependents] } : undefined }),
  setHighlight: (highlight) => set({ highlight }),
  notify: (tone, text) => {
    const id = nextNotice++;
    set((state) => ({ notices: [...state.notices.slice(-4), { id, tone, text }] }));
    setTimeout(() => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })), tone === 'error' ? 12_000 : 5_000);
  },
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
}));
