/**
 * A compose service with a `build:` section is built through Compose itself (`compose build
 * <service>`) before its `up`, and on `rebuild`: Compose reads its own build keys (context,
 * dockerfile, args, target) and the engine's layer cache makes an unchanged context cheap. Its
 * output goes into the service's log line by line. Whether the service has a `build:` section is
 * read from the compose file (bounded); a file that cannot be read that way is left to Compose,
 * which answers "uses an image, skipping" for a service without one.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { load } from 'js-yaml';
import { readSmallFile } from '../../read-small-file';
import { readLines } from '../../read-lines';
import { StartError } from '../driver';
import type { ComposeCommand } from './compose-command';

/** A compose file is a page or two; a larger one is not parsed here (Compose still reads it). */
const MAX_COMPOSE_FILE_BYTES = 1024 * 1024;
/** The last lines quoted when a build fails. */
const FAILURE_LINES = 5;

export interface ComposeService {
  readonly file: string;
  readonly project: string;
  readonly service: string;
}

/** Its `build:` and `image:` as the compose file says them; undefined: the file could not be read here. */
export function composeBuildOf(target: ComposeService): { readonly build: boolean; readonly image?: string } | undefined {
  const text = readSmallFile(target.file, MAX_COMPOSE_FILE_BYTES);
  if (text === undefined) return undefined;
  try {
    const document = load(text) as { services?: Record<string, { build?: unknown; image?: unknown } | null> } | null;
    const service = document?.services?.[target.service];
    if (!service) return undefined;
    return { build: service.build !== undefined && service.build !== null, ...(typeof service.image === 'string' ? { image: service.image } : {}) };
  } catch {
    return undefined;
  }
}

/** The image names Compose gives a built service without `image:` (v1 `project_service`, v2 `project-service`). */
export const composeImageNames = (target: ComposeService, image: string | undefined): string[] =>
  image ? [image] : [`${target.project}_${target.service}`, `${target.project}-${target.service}`];

/** `compose build <service>`, each output line said as it comes; a failure is a StartError quoting its last lines. */
export function composeBuild(
  compose: ComposeCommand,
  target: ComposeService,
  env: Readonly<Record<string, string | undefined>>,
  say: (line: string) => void,
): Promise<void> {
  const args = [...compose.argv.slice(1), '-p', target.project, '-f', target.file, 'build', target.service];
  const last: string[] = [];
  return new Promise((resolve, reject) => {
    const child = spawn(compose.argv[0]!, args, { env: { ...env }, cwd: dirname(target.file), stdio: ['ignore', 'pipe', 'pipe'] });
    const line = (text: string) => {
      if (!text.trim()) return;
      say(text);
      last.push(text);
      if (last.length > FAILURE_LINES) last.shift();
    };
    readLines(child.stdout, line, { maxLineBytes: 64 * 1024 });
    readLines(child.stderr, line, { maxLineBytes: 64 * 1024 });
    child.on('error', (error) => reject(new StartError(`${compose.argv.join(' ')} build ${target.service} could not run: ${error.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new StartError(`${compose.argv.join(' ')} build ${target.service} failed (exit code ${code}): ${last.join(' ')}`)),
    );
  });
}
