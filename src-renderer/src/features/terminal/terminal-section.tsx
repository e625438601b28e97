/**
 * A service's Terminal section in its detail view: shown while its status offers a terminal
 * (`status.terminals`, set by the engine: never the face's guess from its mode). "Open a
 * terminal" opens a shell beside the service (`exec`), "Attach" joins an interactive service's own
 * terminal (`attach`: leaving detaches, the service runs on), each in an xterm pane; closing the
 * pane or leaving the view hangs it up. TerminalPane is the pane alone, for any kind of session.
 */
import { useEffect, useRef, useState } from 'react';
import type { TerminalKind } from '@shared/contract/terminal';
import { useClient } from '../../api/client-context';
import { useServices } from '../../state/services-store';
import { ServiceTerminal, type TerminalEnd } from './service-terminal';

export function TerminalSection({ name }: { name: string }) {
  // Booleans, not the list: a fresh `[]` per read would make the store re-render without end.
  const offersExec = useServices((s) => s.mirror?.services.get(name)?.terminals?.includes('exec') ?? false);
  const offersAttach = useServices((s) => s.mirror?.services.get(name)?.terminals?.includes('attach') ?? false);
  const [open, setOpen] = useState<TerminalKind | undefined>(undefined);
  if (!offersExec && !offersAttach && !open) return null;
  return (
    <section aria-labelledby="detail-terminal" className="terminal-section">
      <h3 id="detail-terminal">Terminal</h3>
      {open ? (
        <TerminalPane service={name} kind={open} onClose={() => setOpen(undefined)} />
      ) : (
        <div className="terminal-actions">
          {offersAttach && (
            <button type="button" onClick={() => setOpen('attach')} aria-label={`Attach to ${name}'s terminal`}>
              Attach to its terminal
            </button>
          )}
          {offersExec && (
            <button type="button" onClick={() => setOpen('exec')} aria-label={`Open a terminal in ${name}`}>
              Open a terminal
            </button>
          )}
        </div>
      )}
    </section>
  );
}

export function TerminalPane({ service, kind, onClose }: { service: string; kind: TerminalKind; onClose: () => void }) {
  const client = useClient();
  const element = useRef<HTMLDivElement>(null);
  const [end, setEnd] = useState<string | undefined>(undefined);
  useEffect(() => {
    const terminal = new ServiceTerminal(
      element.current!,
      client,
      service,
      kind,
      (ended) => setEnd(endText(ended)),
      (problem) => setEnd(problem),
    );
    return () => terminal.dispose();
  }, [client, service, kind]);
  return (
    <div className="terminal-pane">
      <div className="terminal-toolbar">
        <span className="hint" role="status" aria-live="polite">
          {end ?? (kind === 'attach' ? `Attached to ${service}: Close detaches, the service runs on` : `A shell in ${service}`)}
        </span>
        <button type="button" onClick={onClose} aria-label={`Close the terminal in ${service}`}>
          Close
        </button>
      </div>
      <div ref={element} className="terminal-screen" data-testid="terminal-screen" style={{ height: '22rem', resize: 'vertical', overflow: 'hidden' }} />
    </div>
  );
}

function endText(end: TerminalEnd): string {
  const how = end.signal ? `ended by ${end.signal}` : end.code === null ? 'ended' : `exited with code ${end.code}`;
  return `The terminal ${how}${end.reason ? `: ${end.reason}` : ''}.`;
}
