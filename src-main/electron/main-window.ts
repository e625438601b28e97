/**
 * The one window: hardened (context isolation, sandbox, no Node, no navigation, no new windows),
 * its size and place remembered, and closing it hides it to the tray unless `letClose` says otherwise
 * (quitting, or close-to-tray turned off).
 */
import { BrowserWindow, type Rectangle } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `show`: false when started in the tray (at login), so the window waits to be opened. */
export function createMainWindow(userData: string, letClose: () => boolean, show = true): BrowserWindow {
  const stateFile = join(userData, 'window-state.json');
  const saved = readBounds(stateFile);
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    ...saved,
    title: 'Provisioning Control Center',
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  if (show) window.once('ready-to-show', () => window.show());
  // The window shows our renderer and nothing else.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.on('close', (event) => {
    writeFileSync(stateFile, JSON.stringify(window.getBounds()));
    if (letClose()) return;
    event.preventDefault();
    window.hide(); // the app lives on in the tray
  });
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(rendererFile());
  return window;
}

export const rendererFile = (): string => join(import.meta.dirname, '../renderer/index.html');

function readBounds(file: string): Partial<Rectangle> {
  try {
    const bounds = JSON.parse(readFileSync(file, 'utf8')) as Partial<Rectangle>;
    return [bounds.x, bounds.y, bounds.width, bounds.height].every((n) => Number.isInteger(n)) ? bounds : {};
  } catch {
    return {};
  }
}
