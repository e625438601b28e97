/**
 * A service's whole detail, over any view (opened from a table row, a card, or the graph's side
 * card): its state, the actions the engine allows now (status.actions), what runs it and its
 * environment's names, the health check with its full history, why it is as it is, its events,
 * dependencies and dependents (each opens its own detail), and its TOML blocks as the files have
 * them with its log file. A modal dialog: focus moves to its heading, Escape or Back closes it and
 * focus returns to where it was.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type RefObject } from 'react';
import { actionsOf } from '@shared/contract/service-actions';
import { TerminalSection } from '../terminal/terminal-section';
import type { ServiceAction } from '@shared/contract/service-state';
import { toneOf } from '@shared/contract/state-meaning';
import { useClient, useRegistry } from '../../api/client-context';
import { useServices } from '../../state/services-store';
import { useUi } from '../../state/ui-store';
import { WhySection } from '../why/why-section';
import { DefinitionSection, EventsSection, HealthHistory, SourceSection } from './detail-sections';
import { useServiceAction } from './use-service-actions';
import { WatchToggle } from './watch-toggle';

const ACTION_LABEL: Record<ServiceAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', rebuild: 'Rebuild' };

export function ServiceDetail({ onLogs }: { onLogs: (name: string) => void }) {
  const name = useUi((s) => s.detail);
  const openDetail = useUi((s) => s.openDetail);
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<Element | null>(null);
  const client = useClient();
  const queries = useQueryClient();

  useEffect(() => client.onRegistryChanged(() => void queries.invalidateQueries({ queryKey: ['detail'] })), [client, queries]);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (name) {
      if (!element.open) {
        opener.current = document.activeElement;
        element.showModal();
      }
      heading.current?.focus();
      return;
    }
    if (element.open) element.close();
    // Once the page is no longer inert: back where the person was, if it is still there.
    const back = opener.current;
    opener.current = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  }, [name]);

  const close = () => openDetail(undefined);
  return (
    <dialog
      ref={dialog}
      className="service-detail"
      aria-labelledby="detail-title"
      data-testid="service-detail"
      onClose={() => name && close()}
      // Escape is the dialog's: the views' own Escape (deselect) stays out of it.
      onKeyDown={(event) => event.key === 'Escape' && event.stopPropagation()}
    >
      {name ? <Body key={name} name={name} heading={heading} onBack={close} onLogs={onLogs} /> : null}
    </dialog>
  );
}

function Body({
  name,
  heading,
  onBack,
  onLogs,
}: {
  name: string;
  heading: RefObject<HTMLHeadingElement | null>;
  onBack: () => void;
  onLogs: (name: string) => void;
}) {
  const status = useServices((s) => s.mirror?.services.get(name));
  const { services } = useRegistry();
  const openDetail = useUi((s) => s.openDetail);
  const { act, pending } = useServiceAction(name);
  const service = services.find((s) => s.name === name);
  const dependents = services.filter((s) => s.dependencies.includes(name)).map((s) => s.name);
  const actions = status ? actionsOf(status) : [];
  const related = (names: readonly string[], none: string) =>
    names.length === 0 ? (
      <p className="hint">{none}</p>
    ) : (
      <ul className="related">
        {names.map((other) => (
          <li key={other}>
            <button type="button" className="link" onClick={() => openDetail(other)}>
              {other}
            </button>
          </li>
        ))}
      </ul>
    );
  return (
    <article className={`detail-body tone-${status ? toneOf(status.state) : 'idle'}`}>
      <header className="detail-header">
        <button type="button" onClick={onBack} aria-label="Back (Escape)">
          ← Back
        </button>
        <h2 id="detail-title" ref={heading} tabIndex={-1}>
          {name}
        </h2>
        {status ? <span className="state-badge">{status.state}</span> : null}
        <span className="detail-actions">
          {actions.map((action) => (
            <button key={action} type="button" disabled={pending !== undefined} onClick={() => act(action)} aria-label={`${ACTION_LABEL[action]} ${name}`}>
              {pending === action || (action === 'stop' && pending === 'stop-cascade') ? `${ACTION_LABEL[action]}…` : ACTION_LABEL[action]}
            </button>
          ))}
          <button
            type="button"
            className="link"
            onClick={() => {
              onBack();
              onLogs(name);
            }}
          >
            Logs
          </button>
        </span>
      </header>
      {status ? <p className="reason">{status.reason}</p> : <p className="hint">The engine does not run this service (not in the registry it runs).</p>}
      {status ? <WatchToggle status={status} /> : null}
      {service?.description ? <p className="description">{service.description}</p> : null}
      <div className="detail-grid">
        <div className="detail-column">
          <DefinitionSection name={name} />
          <section aria-labelledby="detail-deps">
            <h3 id="detail-deps">Needs</h3>
            {related(service?.dependencies ?? [], 'No dependency.')}
            <h3>Needed by</h3>
            {related(dependents, 'Nothing depends on it.')}
          </section>
        </div>
        <div className="detail-column">
          <WhySection name={name} />
          {status ? <EventsSection status={status} /> : null}
          <HealthHistory name={name} />
          <SourceSection name={name} />
        </div>
      </div>
      <TerminalSection name={name} />
    </article>
  );
}
