/**
 * Where a home's settings live, and their JSON read raw — bounded, a regular file only, no schema —
 * for the paths that must stay light (a command's registry discovery, a Tab). settings-store.ts
 * checks what it reads against the schema; these readers only look at one field.
 */
import { join } from 'node:path';
import { readSmallFile } from './read-small-file';

export const settingsFile = (home: string): string => join(home, 'settings.json');

/** Settings are a few short fields: a larger file (or a FIFO, a folder) is not one to read. */
const MAX_SETTINGS_BYTES = 64 * 1024;

/** The settings' JSON object, or undefined when there is none, it is not JSON, or not an object. */
export function readSettingsJson(home: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readSmallFile(settingsFile(home), MAX_SETTINGS_BYTES) ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
