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
  /** Terminals into services from the browser host (a shell for whoever holds its token); changed only by the desktop app or the CLI. */
  webTerminals: z.boolean(),
};

export const settingsSchema = z.object({
  theme: fields.theme.default('system'),
  closeToTray: fields.closeToTray.default(true),
  stopOnQuit: fields.stopOnQuit.default('ask'),
  registryPath: fields.registryPath.default(null),
  webTerminals: fields.webTerminals.default(false),
});
export type Settings = z.infer<typeof settingsSchema>;
/** A change of some settings: absent keys stay as they are (no defaults here, unlike the stored form). */
export const settingsPatchSchema = z.object(fields).partial();

/**
 * What a change of the registry path would make the engine run, shown before it is made: a new
 * registry is new commands. The change is applied only when the same session sends back the code
 * issued with this (src-main/daemon/registry-confirmation.ts). That shows the client which asked
 * also confirmed; it cannot show that a person did.
 */
export const registryConfirmationSchema = z.object({
  /** The setting asked for, as it would be stored: the file's real path (null: back to the default). */
  registryPath: z.string().nullable(),
  /** The file that would be used (its real path). */
  file: z.string(),
  /** Single use, for this session only, for a few minutes, and for exactly the text shown (an edit since asks again). */
  code: z.string(),
  /** Per service, what starting it runs (commands, images, files applied, health commands). */
  runs: z.array(z.object({ service: z.string(), mode: z.string(), runs: z.array(z.string()) })),
  /** Why the file deserves a second look (another user owns it or a folder above it, others can write or replace it). */
  warnings: z.array(z.string()),
});
export type RegistryConfirmation = z.infer<typeof registryConfirmationSchema>;

/** A change of settings; a new registry path is applied only with the code of its confirmation, from the session it was issued to. */
export const settingsUpdateSchema = settingsPatchSchema.extend({ confirmRegistry: z.string().max(100).optional() });
/** The settings now, and when a registry change waits for a confirmation, what it would run (nothing was changed). */
export const settingsUpdateResultSchema = settingsSchema.extend({ confirmation: registryConfirmationSchema.optional() });
