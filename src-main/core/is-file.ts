/** Whether a path names a regular file, following symlinks; false instead of a throw for anything else. */
import { statSync } from 'node:fs';

/** False for anything that is not a regular file (missing, a folder, a name too long, a file used as a folder…). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
