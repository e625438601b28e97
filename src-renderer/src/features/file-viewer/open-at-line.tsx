/**
 * A located problem's fix, "Open services.toml at line N": a viewer of the file's lines around it
 * (file-viewer-dialog.tsx), in both faces; the desktop app can open the file itself from there.
 */
import { useState } from 'react';
import type { RegistryGraph } from '@shared/contract/registry';
import { FileViewerDialog } from './file-viewer-dialog';

export type LocatedIssue = RegistryGraph['issues'][number];

/** The file's own name, as a button says it (the viewer shows the whole path). */
export const fileName = (file: string): string => file.slice(file.lastIndexOf('/') + 1) || file;

export function OpenAtLine({ issue }: { issue: LocatedIssue }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="open-at-line" onClick={() => setOpen(true)}>
        Open {fileName(issue.file)} at line {issue.line}
      </button>
      {open ? <FileViewerDialog issue={issue} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
