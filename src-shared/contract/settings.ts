/** The person's preferences, kept by the owner in the home so every face (app, web UI) shares them. */
import { z } from 'zod';

export const settingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** Closing the desktop window keeps the app in the tray (else it quits). */
  closeToTray: z.boolean().default(true),
  /** On quitting the desktop app with services running: ask, always stop them, or keep them running. */
  stopOnQuit: z.enum(['ask', 'always', 'never']).default('ask'),
  /** A registry file used from the next start on, after --config and PROVISIONING_CONFIG; null for the default. */
  registryPath: z.string().min(1).nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
