/**
 * Electron main process: one hardened window on the renderer. The engine, tray and IPC bridge
 * join here as the contract grows; this file stays thin.
 */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Provisioning Control Center',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  // The window shows our renderer and nothing else: no navigation away, no new windows.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return window;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  createMainWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createMainWindow());
});

app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());
