/**
 * The account a binary service runs as (`deployment.binary.user` / `group`): names resolved to ids
 * through the system's databases (`getent`, so NSS users count; else /etc/passwd and /etc/group),
 * bounded reads. Applied by Node's spawn (setgid, setuid; libuv drops supplementary groups first), so
 * no wrapper process sits between the manager and the service. Only root may become someone else;
 * a manager already running as that user and group needs no change (the ids are then not passed).
 * The service gets that user's HOME, USER and LOGNAME, not the manager's (a registry `env` entry wins).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  /** For messages: "postgres" or "postgres:postgres". */
  readonly label: string;
  /** HOME, USER and LOGNAME of that user (as `runuser` and systemd's User= set them), when passwd names it. */
  readonly environment: Readonly<Record<string, string>>;
}

/** What a spawn needs, or a problem in words (unknown user, not permitted); {} when nothing is asked. */
export type RunAsResolution = { readonly runAs?: RunAs; readonly problem?: string };

const MAX_DB_BYTES = 4 * 1024 * 1024;

export function resolveRunAs(user: string | number | undefined, group: string | number | undefined, where: string): RunAsResolution {
  if (user === undefined && group === undefined) return {};
  const self = { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
  const account = user === undefined ? undefined : lookup('passwd', user);
  if (user !== undefined && !account) return { problem: `${where}.user: no such user '${user}' on this machine` };
  if (group === undefined && account && account.gid === undefined) return { problem: `${where}.user: uid ${user} has no entry in passwd: set \`group\` too` };
  const gid = group === undefined ? (account?.gid ?? self.gid) : lookup('group', group)?.id;
  if (gid === undefined) return { problem: `${where}.group: no such group '${group}' on this machine` };
  const uid = account?.id ?? self.uid;
  const label = [user ?? uid, group].filter((part) => part !== undefined).join(':');
  if (self.uid !== 0 && (uid !== self.uid || gid !== self.gid)) {
    return {
      problem: `${where}.${user !== undefined && uid !== self.uid ? 'user' : 'group'}: running as ${label} needs the manager to run as root or as ${label} (it runs as uid ${self.uid}, gid ${self.gid})`,
    };
  }
  return { runAs: { uid, gid, label, environment: account?.name && account.home ? { HOME: account.home, USER: account.name, LOGNAME: account.name } : {} } };
}

interface Entry {
  readonly id: number;
  /** passwd only: the primary group, the login name and the home folder. */
  readonly gid?: number;
  readonly name?: string;
  readonly home?: string;
}

/** One passwd or group entry by name or id: `getent` first, the local file where it is missing. */
function lookup(db: 'passwd' | 'group', key: string | number): Entry | undefined {
  const line = getent(db, String(key)) ?? fileEntry(db, key);
  if (line === undefined) return typeof key === 'number' ? { id: key } : undefined;
  const fields = line.split(':');
  const id = Number(fields[2]);
  if (!Number.isInteger(id)) return undefined;
  const gid = Number(fields[3]);
  return db === 'passwd' && Number.isInteger(gid) ? { id, gid, name: fields[0], home: fields[5] } : { id };
}

function getent(db: string, key: string): string | undefined {
  try {
    return execFileSync('getent', [db, key], { encoding: 'utf8', timeout: 5_000, maxBuffer: 64 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return undefined; // not found (exit 2), or no getent here (macOS): the file decides
  }
}

function fileEntry(db: 'passwd' | 'group', key: string | number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/etc/${db}`, 'utf8').slice(0, MAX_DB_BYTES);
  } catch {
    return undefined;
  }
  return text.split('\n').find((line) => {
    const [name, , id] = line.split(':');
    return typeof key === 'number' ? id === String(key) : name === key;
  });
}
