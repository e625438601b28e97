/**
 * The control center: a header with the platform's state and actions, then the graph (with the
 * selected service's card beside it), the service cards, logs, preflight and settings. Keyboard:
 * g graph · c cards · l logs · e events · p preflight · , settings · / search · Esc deselect · ? shortcut sheet ·
 * Ctrl+K command palette.
 */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useClient, useHealthHistories, useRegistry, useSettings } from './api/client-context';
import { useHello } from './api/use-hello';
import { Notices } from './components/notices';
import { Tooltip } from './components/tooltip';
import { DependencyList } from './features/graph/dependency-list';
import { FileChoice } from './features/graph/file-choice';
import { EventsView } from './features/events/events-view';
import { GraphView } from './features/graph/graph-view';
import { CommandPalette } from './features/keyboard/command-palette';
import { ShortcutSheet } from './features/keyboard/shortcut-sheet';
import { ProblemsBar } from './features/problems/problems-bar';
import { ReadinessPanel } from './features/readiness/readiness-panel';
import { ServiceCard } from './features/services/service-card';
import { ServiceDetail } from './features/services/service-detail';
import { ServicesPanel, useNow } from './features/services/services-panel';
import { StopConfirmation } from './features/services/stop-confirmation';
import { usePlatformAction } from './features/services/use-service-actions';
import { SettingsPanel } from './features/settings/settings-panel';
import { WhySection } from './features/why/why-section';
import { useServices } from './state/services-store';
import { whyNoPlatformStart, whyNoPlatformStop } from './state/platform-actions';
import { platformSummary } from './state/service-view';
import { useUi } from './state/ui-store';

// xterm is a third of the bundle: it loads when the Logs view first opens, not before the graph paints.
const LogView = lazy(() => import('./features/logs/log-view').then((module) => ({ default: module.LogView })));

const TABS = [
  { id: 'graph', label: 'Graph', key: 'g' },
  { id: 'services', label: 'Services', key: 'c' },
  { id: 'logs', label: 'Logs', key: 'l' },
  { id: 'events', label: 'Events', key: 'e' },
  { id: 'readiness', label: 'Preflight', key: 'p' },
  { id: 'settings', label: 'Settings', key: ',' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function App() {
  const client = useClient();
  const { services } = useRegistry();
  const mirror = useServices((s) => s.mirror);
  const problem = useServices((s) => s.problem);
  const { selected, select } = useUi();
  const platform = usePlatformAction();
  const [tab, setTab] = useState<Tab>('graph');
  const [search, setSearch] = useState('');
  const searchBox = useRef<HTMLInputElement>(null);
  const settings = useSettings();
  const hello = useHello();
  const statuses = [...(mirror?.services.values() ?? [])];
  const summary = platformSummary(statuses);

  useTheme(settings.data?.theme ?? 'system');

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing =
        event.target instanceof HTMLInputElement ||
        event.target instanceof HTMLTextAreaElement ||
        event.target instanceof HTMLSelectElement ||
        (event.target as HTMLElement).closest?.('.xterm');
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = TABS.find((t) => t.key === event.key);
      if (target) return setTab(target.id);
      if (event.key === '/') {
        event.preventDefault();
        setTab((current) => (current === 'graph' || current === 'services' ? current : 'services'));
        searchBox.current?.focus();
      } else if (event.key === 'Escape') {
        select(undefined);
        useUi.getState().setHighlight(undefined);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select]);

  /** Arrow keys move along the tabs, as in any tab list. */
  const moveTab = (key: string) => {
    const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = TABS[(TABS.findIndex((t) => t.id === tab) + step + TABS.length) % TABS.length]!;
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const openLogs = (name: string) => {
    select(name);
    setTab('logs');
  };
  const selectedStatus = selected ? mirror?.services.get(selected) : undefined;

  return (
    <div className="app">
      <header className="top">
        <h1>Provisioning</h1>
        <span className={`summary${summary.byTone.bad ? ' bad' : summary.byTone.warn ? ' warn' : ''}`} data-testid="summary" aria-live="polite">
          {mirror ? summary.line : 'connecting…'}
        </span>
        <input
          ref={searchBox}
          type="search"
          placeholder="Search services  /"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Search services"
        />
        <PlatformButton action="start" idle={mirror ? whyNoPlatformStart(services, mirror.services) : undefined} platform={platform} />
        <PlatformButton action="stop" idle={mirror ? whyNoPlatformStop(statuses) : undefined} platform={platform} />
      </header>
      <nav className="tabs" role="tablist" aria-label="Views" onKeyDown={(event) => moveTab(event.key)}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls="view"
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            aria-keyshortcuts={t.key}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <ProblemsBar onOpen={() => setTab('events')} />
      {hello?.registrySource === 'embedded' ? (
        <div className="banner" role="status" data-testid="demo-banner">
          You are running the demo registry — <code>provisioning init</code> writes your own.
        </div>
      ) : null}
      {problem ? (
        <div className="banner" role="alert">
          Not connected to the engine: {problem}
        </div>
      ) : null}
      <main className="main">
        <div id="view" className={`view view-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
          {tab === 'graph' ? (
            <div className="graph-layout">
              <GraphView search={search} />
              {selectedStatus ? (
                <aside className="side" aria-label={`${selectedStatus.name} details`}>
                  <button type="button" className="link close" onClick={() => select(undefined)} aria-label="Close details">
                    ✕
                  </button>
                  <SelectedCard name={selectedStatus.name} onLogs={openLogs} />
                </aside>
              ) : null}
            </div>
          ) : null}
          {tab === 'services' ? <ServicesPanel search={search} onLogs={openLogs} /> : null}
          {tab === 'logs' ? (
            <Suspense fallback={<p className="hint">Loading the log view…</p>}>
              <LogView client={client} services={services.map((s) => s.name)} service={selected} onServiceChange={select} />
            </Suspense>
          ) : null}
          {tab === 'events' ? (
            <EventsView
              onService={(name) => {
                select(name);
                setTab('graph');
              }}
              onLogs={openLogs}
            />
          ) : null}
          {tab === 'readiness' ? <ReadinessPanel /> : null}
          {tab === 'settings' ? <SettingsPanel /> : null}
        </div>
      </main>
      <ServiceDetail onLogs={openLogs} />
      <StopConfirmation />
      <FileChoice />
      <Notices />
      <CommandPalette onLogs={openLogs} />
      <ShortcutSheet views={TABS} />
    </div>
  );
}

/** Start or Stop platform; disabled, with the reason as its description, when it would do nothing (`idle`). */
function PlatformButton({ action, idle, platform }: { action: 'start' | 'stop'; idle: string | undefined; platform: ReturnType<typeof usePlatformAction> }) {
  const [label, busy, icon] = action === 'start' ? ['Start platform', 'Starting…', '▶'] : ['Stop platform', 'Stopping…', '■'];
  const button = (
    <button type="button" onClick={() => platform.act(action)} disabled={platform.pending !== undefined || idle !== undefined} aria-label={label}>
      {platform.pending === action ? busy : `${icon} ${label}`}
    </button>
  );
  return idle === undefined ? button : <Tooltip text={idle}>{button}</Tooltip>;
}

/** Light or dark on <html>; `system` follows the system's preference as it changes. */
function useTheme(theme: 'system' | 'light' | 'dark'): void {
  useEffect(() => {
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => (document.documentElement.dataset['theme'] = theme === 'system' ? (dark.matches ? 'dark' : 'light') : theme);
    apply();
    dark.addEventListener('change', apply);
    return () => dark.removeEventListener('change', apply);
  }, [theme]);
}

function SelectedCard({ name, onLogs }: { name: string; onLogs: (name: string) => void }) {
  const { services } = useRegistry();
  const status = useServices((s) => s.mirror?.services.get(name));
  const now = useNow(1_000);
  const history = useHealthHistories()?.[name];
  if (!status) return null;
  return (
    <>
      <ServiceCard status={status} service={services.find((s) => s.name === name)} history={history ?? []} now={now} onLogs={onLogs} />
      <DependencyList name={name} />
      <WhySection name={name} />
    </>
  );
}
