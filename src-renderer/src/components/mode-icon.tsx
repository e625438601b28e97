/**
 * A drawn icon per deployment mode, so a node says how it runs at a glance. Inline SVG in the text
 * colour (emoji drew as empty boxes where no emoji font is installed); hidden from assistive
 * technology, which reads the mode's name instead.
 */
import type { ReactNode } from 'react';

const SHAPES: Record<string, ReactNode> = {
  // A terminal: a window with a prompt.
  binary: (
    <>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
      <path d="M4.5 6.5l2 1.5-2 1.5M8 10.5h3.5" />
    </>
  ),
  // A container ship: boxes stacked on a hull.
  docker: (
    <>
      <path d="M1.5 9.5h13c-.5 2.5-2.8 4-5.5 4H5.5c-2 0-3.5-1.6-4-4z" />
      <path d="M3.5 9.5v-2h2.5v2M6 9.5v-2h2.5v2M8.5 9.5v-2H11v2M6 7.5v-2h2.5v2" />
    </>
  ),
  // Several containers that run together: three stacked layers.
  'docker-compose': (
    <>
      <path d="M8 1.8l6 3-6 3-6-3z" />
      <path d="M2 8l6 3 6-3M2 11.2l6 3 6-3" />
    </>
  ),
  // A ship's wheel, as Kubernetes draws itself.
  kubernetes: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="1.5" />
      <path d="M8 2.5v4M8 9.5v4M2.5 8h4M9.5 8h4M4.1 4.1l2.8 2.8M9.1 9.1l2.8 2.8M11.9 4.1L9.1 6.9M6.9 9.1l-2.8 2.8" />
    </>
  ),
  // A cloud: watched, run elsewhere.
  remote: <path d="M4.5 12.5h7a3 3 0 0 0 .4-6 4 4 0 0 0-7.6 1A2.5 2.5 0 0 0 4.5 12.5z" />,
};

export function ModeIcon({ mode }: { mode: string }) {
  return (
    <span className="mode-icon" data-mode={mode}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        <g fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round">
          {SHAPES[mode] ?? <circle cx="8" cy="8" r="3" />}
        </g>
      </svg>
      <span className="visually-hidden">{mode}</span>
    </span>
  );
}
