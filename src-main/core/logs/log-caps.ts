/**
 * What one service's output may make the home hold, and the drop marker the log shim writes into a
 * raw file where it had to drop output. Shared by the shim (its own small bundle) and the ingestor,
 * so it imports nothing.
 */

/** Real disk blocks one raw file (`.stdout` / `.stderr`) may hold that the log has not taken in yet. */
export const RAW_BACKLOG_BYTES = 32 * 1024 * 1024;
/** Output the shim keeps in memory per stream while the raw file is at its cap or the disk is full. */
export const HOLD_BYTES = 1024 * 1024;
/** The ingestor releases (punches out) what it consumed once this much piled up: well under the cap. */
export const RELEASE_EVERY_BYTES = 8 * 1024 * 1024;
/**
 * Where consumed raw bytes can be released (Linux `fallocate --punch-hole`), and so the backlog cap
 * can hold without dropping output forever. Elsewhere the raw files grow as they always did.
 */
export const RAW_RELEASABLE = process.platform === 'linux';
/**
 * Beside a raw file once the ingestor saw a punch fail (a file system without hole punching, an old
 * fallocate): the shim then stops capping by disk blocks, which would never fall again — the file
 * grows as on other systems (and the owner warns) rather than every later line being dropped.
 */
export const noPunchFlag = (rawPath: string): string => `${rawPath}.no-punch`;
/** One log write: a file passes its rotation size by at most this much (plus one line cut at 1 MiB). */
export const BATCH_BYTES = 1024 * 1024;

export interface Rotation {
  readonly maxBytes: number;
  readonly keep: number;
}

/**
 * The most one binary service's logs take on disk: two raw backlogs (each may pass its cap by what
 * the shim held when its pipes closed), and `keep` + 1 log files of at most maxBytes plus one batch.
 */
export const serviceLogCap = (rotation: Rotation): number => 2 * (RAW_BACKLOG_BYTES + HOLD_BYTES) + (rotation.keep + 1) * (rotation.maxBytes + 2 * BATCH_BYTES);

/** `error <CODE>`: the raw file could not be opened or written for another reason (EFBIG, EIO, EROFS…). */
export type DropReason = 'backlog' | 'disk-full' | `error ${string}`;

/** A line no program writes by accident (it starts with NUL): `\0provisioning-dropped <bytes> <reason>`. */
const MARKER = '\u0000provisioning-dropped ';

/** `closeLine`: the output before the drop ended mid-line; the marker starts on a line of its own. */
export const dropMarker = (bytes: number, reason: DropReason, closeLine: boolean): string => `${closeLine ? '\n' : ''}${MARKER}${bytes} ${reason}\n`;

/** What the log says for a marker line, or undefined for an ordinary line. */
export function describeDropMarker(line: string, stream: string): string | undefined {
  if (!line.startsWith(MARKER)) return undefined;
  const match = /^(\d{1,15}) (backlog|disk-full|error ([A-Z0-9_]{1,20}))$/.exec(line.slice(MARKER.length));
  if (!match) return undefined;
  const why =
    match[2] === 'backlog'
      ? `its unread backlog reached the ${RAW_BACKLOG_BYTES / 1024 / 1024} MiB cap (written faster than logged, or while no manager ran)`
      : match[2] === 'disk-full'
        ? 'the disk was full'
        : `its raw file could not be written (${match[3]})`;
  return `${match[1]} bytes of ${stream} dropped: ${why}`;
}
