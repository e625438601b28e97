/**
 * A registry path change, as the face shows it before it is applied: the file that would be used
 * (its real path, symlinks resolved), what each of its services runs, and why it deserves a second
 * look. The file is read once, through the guarded reader (no FIFO, no huge file, UTF-8 only), and
 * what is shown and what is hashed are those same bytes.
 *
 * The confirmation is a code issued to one session (one connection of one face), single use and
 * short-lived, for exactly the text shown: another client cannot apply it, and a file edited since
 * is shown again. It proves that the client which asked also confirmed; it cannot prove that a
 * person did (any client can show the dialog to nobody and answer it itself).
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { RegistryConfirmation } from '@shared/contract/settings';
import type { ServiceDefinition } from '@shared/model';
import { describeHealthCheck } from '@shared/model/describe-service';
import { modeOf } from '../core/drivers/modes';
import { EngineError } from '../core/engine-errors';
import { isFile } from '../core/is-file';
import { embeddedRegistryPath, userRegistryPath } from '../core/paths';
import { loadRegistry, RegistryError } from '../core/registry/load-registry';
import { readRegistryText } from '../core/registry/read-registry-text';

/** A change as read now: what the face is shown (without a code yet), and the hash of the text it was read from. */
export interface RegistryChange {
  readonly shown: Omit<RegistryConfirmation, 'code'>;
  readonly textDigest: string;
}

/** Throws the file's located errors when it would not load; else what it would run. */
export async function readRegistryChange(registryPath: string | null, home: string): Promise<RegistryChange> {
  if (registryPath !== null && !isAbsolute(registryPath)) throw new EngineError(`the registry path must be absolute: ${registryPath}`);
  const given = registryPath ?? defaultRegistry(home);
  let file: string;
  try {
    file = realpathSync(given);
  } catch (cause) {
    throw new EngineError(`cannot use ${given} as the registry: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(cause)}`);
  }
  const read = await readRegistryText(file);
  if (!('text' in read))
    throw new RegistryError({
      displayPath: file,
      issues: [{ severity: 'error', path: [], message: read.problem, file, line: read.line, column: read.column }],
    });
  // Those bytes, with the overrides and env files beside them: what would run.
  const parsed = await loadRegistry({ path: file, source: 'settings' }, dirname(file), new Map([[file, read.text]]));
  if (!parsed.shown) throw new RegistryError({ displayPath: file, issues: parsed.issues });
  // The real path is what gets stored: a symlink swapped later cannot point the setting elsewhere.
  const chosen = registryPath === null ? null : file;
  const textDigest = createHash('sha256')
    .update(`${chosen ?? ''}\0`)
    .update(read.text)
    .digest('base64url');
  return { shown: { registryPath: chosen, file, runs: parsed.shown.services.map(describeRuns), warnings: fileWarnings(file) }, textDigest };
}

/** How long a confirmation code holds, and how many one session may have waiting. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;
const MAX_WAITING = 8;

/** One session's waiting confirmations: issued with what was shown, redeemed at most once. */
export class RegistryConfirmations {
  readonly #waiting = new Map<string, { readonly textDigest: string; readonly expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(change: RegistryChange): RegistryConfirmation {
    this.#sweep();
    if (this.#waiting.size >= MAX_WAITING) this.#waiting.delete(this.#waiting.keys().next().value!);
    const code = randomBytes(18).toString('base64url');
    this.#waiting.set(code, { textDigest: change.textDigest, expires: this.now() + CONFIRMATION_TTL_MS });
    return { ...change.shown, code };
  }

  /** True once for a code this session was issued for exactly this change (same path, same text), not yet expired. */
  redeem(code: string | undefined, change: RegistryChange): boolean {
    this.#sweep();
    const waiting = code === undefined ? undefined : this.#waiting.get(code);
    if (!waiting) return false;
    this.#waiting.delete(code!);
    return waiting.textDigest === change.textDigest;
  }

  #sweep(): void {
    for (const [code, { expires }] of this.#waiting) if (expires <= this.now()) this.#waiting.delete(code);
  }
}

function defaultRegistry(home: string): string {
  const user = userRegistryPath(home);
  return isFile(user) ? user : embeddedRegistryPath();
}

function describeRuns(service: ServiceDefinition): RegistryConfirmation['runs'][number] {
  const runs = modeOf(service).runs(service);
  if (service.health_check?.type === 'command') runs.push(`health check ${describeHealthCheck(service.health_check)}`);
  return { service: service.name, mode: service.deployment.mode, runs };
}

/**
 * Who besides you (and root) could change what the file runs after it was confirmed: its owner, or
 * anyone who can write it or replace it — by writing any folder on its real path. A sticky folder
 * (such as /tmp) stops others replacing only an entry of yours.
 */
function fileWarnings(file: string): string[] {
  const me = process.getuid?.();
  if (me === undefined) return [];
  const warnings: string[] = [];
  const ownedByOther = (uid: number) => uid !== me && uid !== 0;
  const entry = lstatSync(file, { throwIfNoEntry: false });
  if (entry && ownedByOther(entry.uid)) warnings.push(`the file belongs to another user (uid ${entry.uid}), who can change what it runs`);
  else if (entry && entry.mode & 0o022) warnings.push(`others can write the file (${file}) and change what it runs`);
  for (let child = file, folder = dirname(file); child !== folder; child = folder, folder = dirname(folder)) {
    const stats = lstatSync(folder, { throwIfNoEntry: false });
    if (!stats) continue;
    if (ownedByOther(stats.uid))
      warnings.push(`the folder ${folder} belongs to another user (uid ${stats.uid}), who can replace ${child} and change what it runs`);
    else if (stats.mode & 0o022) {
      const stickyForOurs = (stats.mode & 0o1000) !== 0 && !ownedByOther(lstatSync(child, { throwIfNoEntry: false })?.uid ?? -1);
      if (!stickyForOurs) warnings.push(`others can write the folder ${folder}, replace ${child} and change what it runs`);
    }
  }
  return warnings;
}
