/**
 * Electron main process: owns the home (the engine runs here while the app runs; a headless daemon
 * that owned it is asked to hand over), serves the contract to the window over IPC and to CLI
 * clients over the local socket, keeps a tray, and notifies of crashes. One instance at a time.
 */
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, Notification, session, shell } from 'electron';
import { homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ServiceState } from '@shared/contract/service-state';
import { provisioningHome, resolveHome } from '../core/paths';
import { discoverRegistry } from '../core/registry/discover-registry';
import { RegistryFile } from '../core/registry/registry-file';
import { contractHandlers } from '../daemon/contract-session';
import { daemonSocketPath, privateStateRoot, recordedOwnerPid } from '../daemon/daemon-paths';
import { answerDeadline, OwnerClient, OwnerUnavailableError } from '../daemon/owner-client';
import { startOwner, type Owner } from '../daemon/owner';
import { bridgeContract } from './ipc-bridge';
import { bridgeLoginItem, HIDDEN_ARG, loginItem } from './login-item';
import { createMainWindow, rendererFile } from './main-window';
import { bridgeOpenFile } from './open-file';
import { bridgeOpenLink } from './open-link';
import { noteFor } from './notifications';
import { createTray } from './tray';
import type { TrayAction } from './tray-model';

let quitting = false;
let window: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => window?.show());

/** Takes the home over from a daemon that owns it (services keep running and are adopted). */
async function own(options: Parameters<typeof startOwner>[0]): Promise<Owner> {
  // A daemon that does not answer (stopped, stuck) fails this with its pid and what to do.
  const daemon = await OwnerClient.connectIfRunning(daemonSocketPath(options.home), { answerDeadlineMs: answerDeadline(process.env) });
  if (daemon) {
    await daemon.call('shutdown').catch((error: Error) => {
      // It closing the connection as it stops is the hand-over itself.
      if (!(error instanceof OwnerUnavailableError)) throw error;
    });
    daemon.close();
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const owner = await startOwner(options);
    if (owner) return owner;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = recordedOwnerPid(privateStateRoot(options.home));
  throw new Error(
    pid
      ? `the manager with pid ${pid} keeps ${options.home} and did not hand it over; \`provisioning daemon stop\` asks it to, \`kill ${pid}\` ends it (services keep running)`
      : `another manager keeps ${options.home}; stop it with \`provisioning daemon stop\``,
  );
}

async function main(): Promise<void> {
  const home = resolveHome(provisioningHome(process.env));
  const location = discoverRegistry({ flag: undefined, env: process.env, cwd: process.cwd() });
  const registryFile = new RegistryFile(location, process.cwd());
  let registry;
  try {
    registry = await registryFile.readValid();
  } catch (error) {
    dialog.showErrorBox('The service registry is not valid', (error as Error).message);
    return app.quit();
  }
  const log = (line: string) => console.log(line);
  // The app is its own client (window, tray): env references read its environment.
  const owner = await own({ home, registry, registryFile, env: process.env, clientEnv: process.env, log });
  // The window's session is served here, with the owner's facts (one table of run holds for both
  // handler sets); asking it to shut down quits the app.
  const handlers = contractHandlers(owner.engine, { ...owner.facts, shutdown: () => app.quit() });
  const renderer = pathToFileURL(rendererFile()).href;
  const trusted = (url: string) =>
    url === renderer || (process.env['ELECTRON_RENDERER_URL'] !== undefined && url.startsWith(process.env['ELECTRON_RENDERER_URL']));
  // Every permission is refused but writing to the clipboard from our own page (the log view's Copy).
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permission === 'clipboard-sanitized-write' && trusted(details.requestingUrl)),
  );
  bridgeContract(ipcMain, { engine: owner.engine, registry: registryFile }, handlers, trusted, log);
  // A service's link opens in the system browser, never in this window.
  bridgeOpenLink(ipcMain, trusted, (url) => shell.openExternal(url), log);
  // A located issue's file opens in the system's default application: only the registry's own files.
  bridgeOpenFile(
    ipcMain,
    trusted,
    async (file) => (await registryFile.fileOf(file))?.path,
    (path) => shell.openPath(path),
    log,
  );
  // "Open at login, in the tray", asked by the Settings panel; started so, the app opens with HIDDEN_ARG.
  const command = app.isPackaged ? [process.env['APPIMAGE'] ?? process.execPath] : [process.execPath, app.getAppPath()];
  bridgeLoginItem(ipcMain, trusted, loginItem({ platform: process.platform, app, command, env: process.env, userHome: homedir() }));

  const settings = owner.facts.settings;
  let closeToTray = (await settings.read()).closeToTray;
  settings.subscribe((now) => (closeToTray = now.closeToTray));
  window = createMainWindow(app.getPath('userData'), () => quitting || !closeToTray, !startedHidden());
  window.on('closed', () => {
    if (!quitting) app.quit();
  });
  const act = (action: TrayAction) => {
    const done = (promise: Promise<unknown>) => void promise.catch((error: Error) => new Notification({ title: 'Provisioning', body: error.message }).show());
    if (action.kind === 'start') done(owner.engine.start(action.service));
    else if (action.kind === 'stop') done(owner.engine.stop(action.service, { dependents: 'refuse' }));
    else if (action.kind === 'start-platform') done(owner.engine.platformStart([]));
    else if (action.kind === 'stop-platform') done(owner.engine.platformStop([]));
    else if (action.kind === 'open') window?.show();
    else app.quit();
  };
  createTray(owner.engine, act);

  const states = new Map<string, ServiceState>(owner.engine.status().map((s) => [s.name, s.state]));
  owner.engine.subscribe(({ status }) => {
    const note = noteFor(states.get(status.name), status);
    states.set(status.name, status.state);
    if (note && Notification.isSupported()) new Notification(note).show();
  });

  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    const running = owner.engine.anyActive();
    if (!running) return owner.stop();
    event.preventDefault();
    // Services outlive the app unless asked: the next owner (the daemon, or the app again) adopts them.
    void settings
      .read()
      .then(({ stopOnQuit }) => stopOnQuit === 'always' || (stopOnQuit === 'ask' && askToStop()))
      .then((stop) => (stop ? owner.engine.platformStop([]) : undefined))
      .then(() => owner.stop())
      .then(() => owner.stopped)
      .finally(() => app.quit());
  });
}

/** Started at login in the tray: the window stays closed until the tray (or a second launch) opens it. macOS passes no arguments to a login item. */
function startedHidden(): boolean {
  return process.argv.includes(HIDDEN_ARG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}

function askToStop(): boolean {
  const choice = dialog.showMessageBoxSync({
    type: 'question',
    buttons: ['Keep them running', 'Stop them'],
    defaultId: 0,
    message: 'Stop the services before quitting?',
    detail: 'Kept services go on running; the CLI or the app adopts them next time. The Settings page can make this the default.',
  });
  return choice === 1;
}

// What stops the app from owning the home (e.g. a daemon that does not answer) is said, not lost.
void app
  .whenReady()
  .then(main)
  .catch((error: Error) => {
    dialog.showErrorBox('Provisioning cannot take over its home', error.message);
    app.quit();
  });
// The app stays in the tray when its window closes (the close-to-tray setting decides in main()).
app.on('window-all-closed', () => undefined);
