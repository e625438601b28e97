/** File check: the file exists, optionally was modified recently enough and contains a text. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatDuration, type HealthCheck } from '@shared/model';
import { expand, type ProbeContext, type ProbeOutcome } from './probe-context';

export async function fileProbe(check: NonNullable<HealthCheck['file']>, context: ProbeContext, now = Date.now()): Promise<ProbeOutcome> {
  const path = resolve(context.registryDir, expand(check.path, context));
  let modified: number;
  try {
    modified = (await stat(path)).mtimeMs;
  } catch {
    return { ok: false, message: `${path} does not exist` };
  }
  const age = Math.max(0, now - modified);
  if (check.max_age !== undefined && age > check.max_age) {
    return { ok: false, message: `${path} is ${formatDuration(age)} old (max ${formatDuration(check.max_age)})` };
  }
  if (check.contains !== undefined && !(await readFile(path, 'utf8')).includes(check.contains)) {
    return { ok: false, message: `${path} lacks ${JSON.stringify(check.contains)}` };
  }
  return { ok: true, message: `${path} modified ${formatDuration(age)} ago` };
}
