/** The report of the last `platform start`, kept on disk so `services why` can explain it later. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { platformReportSchema, type PlatformReport } from '@shared/contract/platform';
import { writeFileAtomic } from '../state/atomic-write';

const file = (stateRoot: string) => join(stateRoot, 'last-start.json');

/** Undefined when there is none, or it is unreadable (it only ever explains; it never decides). */
export async function readLastStart(stateRoot: string): Promise<PlatformReport | undefined> {
  try {
    return platformReportSchema.parse(JSON.parse(await readFile(file(stateRoot), 'utf8')));
  } catch {
    return undefined;
  }
}

export function writeLastStart(stateRoot: string, report: PlatformReport): Promise<void> {
  return writeFileAtomic(file(stateRoot), `${JSON.stringify(report)}\n`);
}
