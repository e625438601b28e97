/**
 * The "Terminals in the browser" setting (webTerminals): a shell for whoever holds the browser
 * host's page token, so it is changed only in the desktop app (or `provisioning settings
 * web-terminals on|off`); the browser shows it, and where to change it.
 */
export function WebTerminalsSetting({ enabled, onChange }: { enabled: boolean; onChange: (enabled: boolean) => void }) {
  const desktop = window.provisioning !== undefined;
  return (
    <fieldset>
      <legend>Terminals in the browser</legend>
      {desktop ? (
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => onChange(e.target.checked)} /> Allow terminals into services from the browser host
          (`provisioning ui`): whoever holds its page token gets a shell
        </label>
      ) : (
        <p className="hint" aria-label="Terminals in the browser">
          {enabled ? 'On.' : 'Off.'} Changed only in the desktop app or with <code>provisioning settings web-terminals {enabled ? 'off' : 'on'}</code>, never
          from a browser.
        </p>
      )}
    </fieldset>
  );
}
