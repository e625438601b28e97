/**
 * What override files set, where people look: a small "override" badge on a service's card and node
 * (the files and keys in its popover, and in its accessible name), and one muted line naming the
 * services an override disabled — they are in neither the graph nor the cards, so this is where
 * they are said to be missing on purpose.
 */
import { useRegistry } from '../api/client-context';
import { disabledByFile, fileName, overrideText, type ServiceOverride } from '../state/override-view';
import { Tooltip } from './tooltip';

/** Nothing when no override set a value of this service. */
export function OverrideBadge({ service, overrides }: { service: string; overrides: readonly ServiceOverride[] }) {
  if (overrides.length === 0) return null;
  const detail = overrideText(overrides, (file) => file);
  return (
    <Tooltip text={`Set by an override file:\n${detail}`}>
      <span className="override-badge" role="note" aria-label={`${service} override: ${detail}`} data-testid={`override-${service}`}>
        override
      </span>
    </Tooltip>
  );
}

/** "Disabled by services.local.toml: cache, jobs", a line per override file that disabled some. */
export function DisabledByOverride() {
  const { overridden } = useRegistry();
  const disabled = disabledByFile(overridden);
  if (disabled.length === 0) return null;
  return (
    <div className="override-disabled" data-testid="override-disabled">
      {disabled.map(({ file, services }) => (
        <p key={file}>
          Disabled by {fileName(file)}: {services.join(', ')}
        </p>
      ))}
    </div>
  );
}
