/**
 * The tray icon and menu, rebuilt from the tray model whenever it changes: every health check is an
 * event (its latency), but the menu is rebuilt only when what it shows differs.
 */
import { Menu, nativeImage, Tray } from 'electron';
import { join } from 'node:path';
import type { Engine } from '../core/engine';
import { trayModel, type TrayAction } from './tray-model';

export function createTray(engine: Engine, act: (action: TrayAction) => void): Tray {
  const icon = (name: string) => nativeImage.createFromPath(join(import.meta.dirname, `../../resources/tray-${name}.png`));
  const tray = new Tray(icon('idle'));
  let shown = '';
  const render = () => {
    const model = trayModel(engine.status());
    const key = JSON.stringify(model);
    if (key === shown) return;
    shown = key;
    tray.setImage(icon(model.icon));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate(
        model.items.map((item) =>
          'separator' in item
            ? { type: 'separator' as const }
            : { label: item.label, enabled: item.enabled, ...(item.action ? { click: () => act(item.action!) } : {}) },
        ),
      ),
    );
  };
  engine.subscribe(render);
  render();
  return tray;
}
