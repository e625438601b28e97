/**
 * A service's links (its registry `links`, and one per HTTP port). Each is a plain anchor that opens
 * a new tab in the browser host; in the desktop app a click asks the main process to open it in the
 * system browser (the window never navigates). Only http and https URLs are drawn as links. Compact
 * ones (on graph nodes) take no tab stop.
 */
import { isOpenableUrl, type ServiceLinkView } from '@shared/contract/links';

export function ServiceLinks({ links, compact = false }: { links: readonly ServiceLinkView[] | undefined; compact?: boolean }) {
  const shown = (links ?? []).filter((link) => isOpenableUrl(link.url));
  if (shown.length === 0) return null;
  return (
    <span className={`service-links${compact ? ' compact' : ''} nodrag nopan`}>
      {shown.map((link) => (
        <a
          key={`${link.name} ${link.url}`}
          href={link.url}
          target="_blank"
          rel="noopener noreferrer"
          // Compact (on a graph node): for the mouse; the graph is one tab stop, and the card and detail carry the links for the keyboard.
          {...(compact ? { tabIndex: -1 } : {})}
          title={link.derived ? `${link.url} (its health-checked HTTP port)` : link.url}
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
      ))}
    </span>
  );
}
