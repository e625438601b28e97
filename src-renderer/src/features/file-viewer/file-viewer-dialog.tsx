/**
 * A registry file's lines around a located problem, with that line marked and the problem beside it:
 * read through the contract (`registryLines`: the registry's own files only; an env file's lines are
 * withheld, their values being secrets). In the desktop app a button opens the file in the system's
 * default application (the main process opens only the registry's files: electron/open-file.ts).
 */
import { useQuery } from '@tanstack/react-query';
import { formatKeyPath } from '@shared/model/registry-issue';
import { useClient } from '../../api/client-context';
import { useModalDialog } from '../../components/use-modal-dialog';
import { fileName, type LocatedIssue } from './open-at-line';

export function FileViewerDialog({ issue, onClose }: { issue: LocatedIssue; onClose: () => void }) {
  const client = useClient();
  const dialog = useModalDialog(true);
  const lines = useQuery({
    queryKey: ['registryLines', issue.file, issue.line],
    queryFn: () => client.call('registryLines', { file: issue.file, line: issue.line }),
  });
  const bridge = window.provisioning;
  const where = issue.path.length > 0 ? `${formatKeyPath(issue.path)}: ` : '';
  return (
    <dialog ref={dialog} className="confirm file-viewer" aria-labelledby="file-viewer-title" onClose={onClose} data-testid="file-viewer">
      <h2 id="file-viewer-title">
        {fileName(issue.file)}, line {issue.line}
      </h2>
      <p className="hint">{issue.file}</p>
      <p className={`file-viewer-problem severity-${issue.severity}`} role="note">
        {issue.severity === 'warning' ? 'warning: ' : ''}
        {where}
        {issue.message}
      </p>
      {lines.isLoading ? <p className="hint">Reading…</p> : null}
      {lines.error ? <p role="alert">{lines.error.message}</p> : null}
      {lines.data?.withheld ? <p className="hint">{lines.data.withheld}</p> : null}
      {lines.data && lines.data.lines.length > 0 ? (
        <ol
          className="file-lines"
          start={lines.data.firstLine}
          aria-label={`Lines ${lines.data.firstLine} to ${lines.data.firstLine + lines.data.lines.length - 1}`}
        >
          {lines.data.lines.map((text, index) => {
            const number = lines.data.firstLine + index;
            const marked = number === issue.line;
            return (
              <li key={number} value={number} className={marked ? 'marked' : undefined} aria-current={marked ? 'location' : undefined}>
                <span className="line-number" aria-hidden="true">
                  {number}
                </span>
                <code>{text || ' '}</code>
              </li>
            );
          })}
        </ol>
      ) : null}
      {lines.data && issue.line > lines.data.lineCount ? <p className="hint">The file has {lines.data.lineCount} lines now: it changed since.</p> : null}
      <menu>
        {bridge?.openFile ? (
          <button type="button" onClick={() => bridge.openFile?.(issue.file)}>
            Open in the default app
          </button>
        ) : null}
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </menu>
    </dialog>
  );
}
