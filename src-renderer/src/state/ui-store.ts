/** What the person is looking at: the selected service, the one whose detail is open, the services view (table or cards), a highlighted set on the graph, folded groups, a log line asked for, and notices. */
import { create } from 'zustand';

/** `notice`: the notice that explains it; the highlight goes when that notice does. */
export type Highlight = { readonly kind: 'blast' | 'critical' | 'cycle'; readonly names: readonly string[]; readonly notice?: number } | undefined;

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

/**
 * A line of a service's log to bring into view (an event's lifecycle line): asked by whoever links
 * to it, taken by the log view of that service once its lines are in (log-view.tsx). `id` tells one
 * request from the next for the same line.
 */
export interface LogReveal {
  readonly id: number;
  readonly service: string;
  readonly seq: number;
}

/** How the Services tab shows them: the dense table (first) or the cards. */
export type ServicesView = 'table' | 'cards';

const VIEW_KEY = 'provisioning.servicesView';

/** The view chosen last time on this machine (the page's storage; none in a private profile: the table). */
function storedView(): ServicesView {
  try {
    return globalThis.localStorage?.getItem(VIEW_KEY) === 'cards' ? 'cards' : 'table';
  } catch {
    return 'table';
  }
}

interface UiState {
  readonly selected: string | undefined;
  /** The service whose detail view is open, if any. */
  readonly detail: string | undefined;
  readonly servicesView: ServicesView;
  openDetail(name: string | undefined): void;
  setServicesView(view: ServicesView): void;
  readonly stopRequest: StopRequest | undefined;
  readonly logReveal: LogReveal | undefined;
  /** Asks the log view of `service` to show its line `seq`. */
  revealLog(service: string, seq: number): void;
  /** The request with `id` was met (a newer one stays). */
  revealed(id: number): void;
  readonly highlight: Highlight;
  readonly notices: readonly Notice[];
  /** Groups (labels; '' for the services without one) folded on the graph and the cards alike. */
  readonly collapsed: ReadonlySet<string>;
  toggleGroup(group: string): void;
  select(name: string | undefined): void;
  askStop(request: StopRequest | undefined): void;
  setHighlight(highlight: Highlight): void;
  /** The notice's id (for a highlight that should last as long as it). */
  notify(tone: Notice['tone'], text: string): number;
  dismiss(id: number): void;
}

let nextNotice = 1;
let nextReveal = 1;

/** The notices without `id`, and no highlight that it explained. */
const withoutNotice = (state: Pick<UiState, 'notices' | 'highlight'>, id: number) => ({
  notices: state.notices.filter((n) => n.id !== id),
  ...(state.highlight?.notice === id ? { highlight: undefined } : {}),
});

export const useUi = create<UiState>((set, get) => ({
  selected: undefined,
  detail: undefined,
  servicesView: storedView(),
  openDetail: (detail) => set({ detail }),
  setServicesView: (servicesView) => {
    try {
      globalThis.localStorage?.setItem(VIEW_KEY, servicesView);
    } catch {
      // Storage refused (a locked-down profile): remembered for this page only.
    }
    set({ servicesView });
  },
  stopRequest: undefined,
  logReveal: undefined,
  revealLog: (service, seq) => set({ logReveal: { id: nextReveal++, service, seq } }),
  revealed: (id) => set((state) => (state.logReveal?.id === id ? { logReveal: undefined } : {})),
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
    // The same words again (a second start refused for the same cause) are the notice already shown.
    const shown = get().notices.find((n) => n.tone === tone && n.text === text);
    if (shown) return shown.id;
    const id = nextNotice++;
    set((state) => ({ notices: [...state.notices.slice(-4), { id, tone, text }] }));
    setTimeout(() => set((state) => withoutNotice(state, id)), tone === 'error' ? 12_000 : 5_000);
    return id;
  },
  dismiss: (id) => set((state) => withoutNotice(state, id)),
}));
