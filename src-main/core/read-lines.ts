/**
 * Calls `onLine` for each line of a stream. readline re-emits the stream's errors on its interface,
 * where an unheard error would crash the process; they are the stream owner's to handle, so the
 * interface itself ignores them.
 */
import { createInterface, type Interface } from 'node:readline';

export function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => void): Interface {
  return createInterface({ input }).on('line', onLine).on('error', () => undefined);
}
