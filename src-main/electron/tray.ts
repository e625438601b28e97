/** The tray icon and menu, rebuilt from the tray model whenever a service changes state. */
import { Menu, nativeImage, Tray } from 'electron';
import { join } from 'node:path';
import type { Engine } from '../core/engine';
import { trayModel, type TrayAction } from './tray-model';

export function createTray(engine: Engine, act: (action: TrayAction) => void): Tray {
  const icon = (name: string) => nativeImage.createFromPath(join(import.meta.dirname, `../../resources/tray-${name}.png`));
  const tray = new Tray(icon('idle'));
  const render = () => {
    const model = trayModel(engine.status());
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
