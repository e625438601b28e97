/**
 * A service's links (its registry `links`, and one per HTTP port). Each is a plain anchor that opens
 * a new tab in the browser host; in the desktop app a click asks the main process to open it in the
 * system browser (the window never navigates). Only http and https URLs are drawn as links, each
 * with its URL as a popover. Compact ones (on graph nodes) take no tab stop and no popover: the node
 * is one tab stop, and its card and detail carry the same links.
 */
import type { ReactElement } from 'react';
import { isOpenableUrl, type ServiceLinkView } from '@shared/contract/links';
import { Tooltip } from './tooltip';

export function ServiceLinks({ links, compact = false }: { links: readonly ServiceLinkView[] | undefined; compact?: boolean }) {
  const shown = (links ?? []).filter((link) => isOpenableUrl(link.url));
  if (shown.length === 0) return null;
  return (
    <span className={`service-links${compact ? ' compact' : ''} nodrag nopan`}>
      {shown.map((link) => {
        const anchor: ReactElement<{ 'aria-describedby'?: string }> = (
          <a
            key={`${link.name} ${link.url}`}
            href={link.url}
            target="_blank"
            rel="noopener noreferrer"
            // Compact (on a graph node): for the mouse; the graph is one tab stop, and the card and detail carry the links for the keyboard.
            {...(compact ? { tabIndex: -1 } : {})}
            onClick={(event) => {
              // On a graph node or a card, the link is not also a click on the service.
              event.stopPropagation();
              const bridge = window.provisioning;
              if (!bridge?.openLink) return;
              event.preventDefault();
              bridge.openLink(link.url);
            }}
          >
            {link.name} ↗
          </a>
        );
        return compact ? (
          anchor
        ) : (
          <Tooltip key={`${link.name} ${link.url}`} text={link.derived ? `${link.url} (its health-checked HTTP port)` : link.url}>
            {anchor}
          </Tooltip>
        );
      })}
    </span>
  );
}
