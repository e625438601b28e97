/** The load hook of module-recorder.mjs: it runs on the loader's own thread. */
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.MODULE_RECORD, `${fileURLToPath(url)}\n`);
  return next(url, context);
}
