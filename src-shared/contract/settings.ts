/** The person's preferences, kept by the owner in the home so every face (app, web UI) shares them. */
import { z } from 'zod';

const fields = {
  theme: z.enum(['system', 'light', 'dark']),
  /** Closing the desktop window keeps the app in the tray (else it quits). */
  closeToTray: z.boolean(),
  /** On quitting the desktop app with services running: ask, always stop them, or keep them running. */
  stopOnQuit: z.enum(['ask', 'always', 'never']),
  /** A registry file used from the next start on, after --config and PROVISIONING_CONFIG; null for the default. */
  registryPath: z.string().min(1).nullable(),
};

export const settingsSchema = z.object({
  theme: fields.theme.default('system'),
  closeToTray: fields.closeToTray.default(true),
  stopOnQuit: fields.stopOnQuit.default('ask'),
  registryPath: fields.registryPath.default(null),
});
export type Settings = z.infer<typeof settingsSchema>;
/** A change of some settings: absent keys stay as they are (no defaults here, unlike the stored form). */
export const settingsPatchSchema = z.object(fields).partial();
