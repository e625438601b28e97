/**
 * A watched service's development loop (a `watch` table): the toggle that turns watching on or off
 * for every face (the engine's own switch, not this window's), and its last trigger — the file, how
 * many changed with it, when, and what it did. Nothing for a service without `watch`.
 */
import { useState } from 'react';
import type { ServiceStatus } from '@shared/contract/service-state';
import { useClient } from '../../api/client-context';

export function WatchToggle({ status }: { readonly status: ServiceStatus }) {
  const client = useClient();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string>();
  const watch = status.watch;
  if (!watch) return null;
  const toggle = () => {
    setPending(true);
    setProblem(undefined);
    client
      .call('watch', { names: [status.name], on: !watch.on })
      .catch((error: Error) => setProblem(error.message))
      .finally(() => setPending(false));
  };
  const last = watch.lastTrigger;
  return (
    <div className="watch-toggle" data-testid={`watch-${status.name}`}>
      <label>
        <input type="checkbox" role="switch" checked={watch.on} disabled={pending} onChange={toggle} aria-label={`Watch the files of ${status.name}`} /> Watch
        files
      </label>
      {last ? (
        <span className="hint">
          last change: {last.file}
          {last.more > 0 ? ` (+${last.more})` : ''}, <time dateTime={new Date(last.at).toISOString()}>{new Date(last.at).toLocaleTimeString()}</time> →{' '}
          {last.action}
        </span>
      ) : watch.on ? (
        <span className="hint">no change yet</span>
      ) : null}
      {problem ? (
        <span className="problem" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
