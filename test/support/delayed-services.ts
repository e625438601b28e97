/** Registries of services with known readiness delays (test/fixtures/delayed.mjs), ready by a file check. */
import { join } from 'node:path';
import { tempDir } from './cli-run';
import { FIXTURES } from './engine-harness';

export interface DelayedService {
  readonly delay?: number;
  readonly deps?: readonly string[];
  readonly fail?: boolean;
  readonly order?: number;
  /** More lines for the service table (e.g. on_dependency_failure). */
  readonly extra?: string;
  /** Check interval once running (default 1s). */
  readonly interval?: string;
}

/** The registry text, and where each service's ready file is. */
export function delayedRegistry(
  services: Record<string, DelayedService>,
  dir = tempDir('pcc-delayed-'),
): { text: string; readyFile: (name: string) => string } {
  const readyFile = (name: string) => join(dir, `${name}.ready`);
  const text = Object.entries(services)
    .map(([name, s]) =>
      [
        `[services.${name}]`,
        `dependencies = ${JSON.stringify(s.deps ?? [])}`,
        s.order === undefined ? '' : `order = ${s.order}`,
        s.extra ?? '',
        `[services.${name}.deployment]`,
        'mode = "binary"',
        `binary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify([join(FIXTURES, 'delayed.mjs'), readyFile(name), String(s.delay ?? 0), ...(s.fail ? ['fail'] : [])])} }`,
        `[services.${name}.health_check]`,
        `type = "file"\ninterval = "${s.interval ?? '1s'}"\ntimeout = "500ms"\nretries = 1`,
        `file = { path = ${JSON.stringify(readyFile(name))} }`,
        `[services.${name}.startup]\ntimeout = "10s"\nrestart = "no"`,
        '',
      ].join('\n'),
    )
    .join('\n');
  return { text, readyFile };
}
