/**
 * A folder that must be this user's alone (the state folder, the owners index): looked at without
 * following a symlink, accepted only when it is a folder of ours, and made 0700 again when it is
 * ours but open to others. Returns what it found, for the caller's own refusal.
 */
import { chmodSync, lstatSync, type Stats } from 'node:fs';

export function ownFolder(dir: string): { readonly own: boolean; readonly stat: Stats } {
  const stat = lstatSync(dir);
  const me = process.getuid?.();
  const own = stat.isDirectory() && (me === undefined || stat.uid === me);
  if (own && (stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return { own, stat };
}
