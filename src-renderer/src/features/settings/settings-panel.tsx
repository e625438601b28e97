/**
 * Settings, kept by the engine for every face: registry path, theme, close-to-tray, stop-on-quit; and
 * how the owner tracks service processes (cgroup or process groups), which is the machine's, not a setting.
 * In the desktop app only, its own settings (close to tray, stop on quit) and "Open at login, in the tray": the
 * system's login item, asked of the main process.
 * A new registry path is confirmed first (what it would run), then applied with that confirmation.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RegistryConfirmation, Settings } from '@shared/contract/settings';
import { trackingLine } from '@shared/contract/tracking';
import { useClient, useRegistry, useSettings } from '../../api/client-context';
import { useHello } from '../../api/use-hello';
import { overriddenBy, registryNow, savedPathNote, savedPathNotice } from '../../state/registry-origin';
import { useUi } from '../../state/ui-store';
import { RegistryChangeConfirmation } from './registry-confirmation';
import { WebTerminalsSetting } from '../terminal/web-terminals-setting';

export function SettingsPanel() {
  const client = useClient();
  const queries = useQueryClient();
  const notify = useUi((s) => s.notify);
  const { file } = useRegistry();
  const settings = useSettings();
  const hello = useHello();
  const tracking = hello?.tracking;
  const save = useMutation({
    mutationFn: (patch: Partial<Settings>) => client.call('updateSettings', patch),
    // Shown at once; the engine's answer (or, on a refusal, its copy) replaces it.
    onMutate: (patch) => queries.setQueryData<Settings>(['settings'], (current) => current && { ...current, ...patch }),
    onSuccess: (next) => queries.setQueryData(['settings'], next),
    onError: (error: Error) => {
      notify('error', error.message);
      void queries.invalidateQueries({ queryKey: ['settings'] });
    },
  });
  const atLogin = useLoginItem();
  const [registryPath, setRegistryPath] = useState<string | undefined>(undefined);
  const [confirmation, setConfirmation] = useState<RegistryConfirmation | undefined>(undefined);
  // Not optimistic: nothing changes until the person confirmed what the new file runs.
  const changeRegistry = useMutation({
    mutationFn: (change: { registryPath: string | null; confirmRegistry?: string }) => client.call('updateSettings', change),
    onSuccess: ({ confirmation: asked, ...next }) => {
      setConfirmation(asked);
      queries.setQueryData(['settings'], next);
      if (!asked) {
        setRegistryPath(undefined);
        notify('info', savedPathNotice(hello, next.registryPath));
      }
    },
    onError: (error: Error) => notify('error', error.message),
  });
  if (!settings.data) return <p className="hint">Loading…</p>;
  const current = settings.data;
  const note = hello && savedPathNote(hello, current.registryPath);
  return (
    <section className="settings-panel" aria-label="Settings">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (registryPath !== undefined) changeRegistry.mutate({ registryPath: registryPath.trim() || null });
        }}
      >
        <label>
          Registry file{' '}
          <span className="hint" data-testid="registry-now">
            {hello ? registryNow(hello) : `Now: ${file}.`}
          </span>
          <input
            type="text"
            value={registryPath ?? current.registryPath ?? ''}
            placeholder="default: ~/.provisioning/config/services.toml, else the demo"
            onChange={(e) => setRegistryPath(e.target.value)}
            aria-label="Registry file path"
          />
        </label>
        <button type="submit" disabled={registryPath === undefined}>
          Use this registry
        </button>
        {note && (
          <p className="hint registry-override" role="note" aria-label="Saved registry path">
            {note}
          </p>
        )}
      </form>
      <RegistryChangeConfirmation
        confirmation={confirmation}
        overriddenBy={hello && overriddenBy(hello)}
        onCancel={() => setConfirmation(undefined)}
        onConfirm={(code) => changeRegistry.mutate({ registryPath: confirmation!.registryPath, confirmRegistry: code })}
      />
      <fieldset>
        <legend>Theme</legend>
        {(['system', 'light', 'dark'] as const).map((theme) => (
          <label key={theme}>
            <input type="radio" name="theme" checked={current.theme === theme} onChange={() => save.mutate({ theme })} /> {theme}
          </label>
        ))}
      </fieldset>
      {/* What the desktop app does on closing and quitting: nothing a browser tab could act on, so shown in the app only. */}
      {window.provisioning !== undefined && (
        <fieldset>
          <legend>Desktop app</legend>
          <label>
            <input type="checkbox" checked={current.closeToTray} onChange={(e) => save.mutate({ closeToTray: e.target.checked })} /> Closing the window keeps
            the app in the tray
          </label>
          {atLogin.shown && (
            <label>
              <input type="checkbox" checked={atLogin.enabled} disabled={atLogin.pending} onChange={(e) => atLogin.set(e.target.checked)} /> Open at login, in
              the tray
            </label>
          )}
          <label>
            When quitting with services running{' '}
            <select
              value={current.stopOnQuit}
              onChange={(e) => save.mutate({ stopOnQuit: e.target.value as Settings['stopOnQuit'] })}
              aria-label="When quitting with services running"
            >
              <option value="ask">ask</option>
              <option value="always">stop them</option>
              <option value="never">keep them running</option>
            </select>
          </label>
        </fieldset>
      )}
      <WebTerminalsSetting enabled={current.webTerminals} onChange={(webTerminals) => save.mutate({ webTerminals })} />
      {tracking && (
        <p className="hint" aria-label="Process tracking">
          Process tracking: {trackingLine(tracking)}
        </p>
      )}
    </section>
  );
}

/** The desktop app's login item (absent in the browser host: it cannot start an app at login). */
function useLoginItem(): { shown: boolean; enabled: boolean; pending: boolean; set(open: boolean): void } {
  const bridge = window.provisioning?.loginItem;
  const notify = useUi((s) => s.notify);
  const queries = useQueryClient();
  const item = useQuery({ queryKey: ['login-item'], queryFn: () => bridge!(), enabled: bridge !== undefined });
  const change = useMutation({
    mutationFn: (open: boolean) => bridge!(open),
    onSuccess: (now) => queries.setQueryData(['login-item'], now),
    onError: (error: Error) => notify('error', `could not change the login item: ${error.message}`),
  });
  return { shown: bridge !== undefined && item.data !== undefined, enabled: item.data === true, pending: change.isPending, set: (open) => change.mutate(open) };
}
