/** Where things live: the user's provisioning home, and the files shipped with this package. */
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Env = Readonly<Record<string, string | undefined>>;

/** `PROVISIONING_HOME`, else `~/.provisioning`. */
export function provisioningHome(env: Env): string {
  return env['PROVISIONING_HOME'] || join(homedir(), '.provisioning');
}

/** A home that cannot be used as given: not ours, open to others, or too long for its sockets. */
export class HomeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HomeError';
  }
}

/**
 * The home as the one real path every process names it by — so `$H`, `$H/` and a symlink to it are
 * one home with one owner (lock, sockets and process markers all derive from this string). Created
 * 0700 when missing. Refused unless it is ours and no other user can write to it: whoever can
 * replace its `services/` folder could stand in for our sockets.
 */
export function resolveHome(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const real = realpathSync(home);
  const { uid, mode } = statSync(real);
  const me = process.getuid?.();
  if (me !== undefined && uid !== me)
    throw new HomeError(`the provisioning home ${real} belongs to uid ${uid}, not to you (uid ${me}); set PROVISIONING_HOME to a folder of your own`);
  if ((mode & 0o022) !== 0)
    throw new HomeError(
      `the provisioning home ${real} can be written by other users (mode ${(mode & 0o777).toString(8)}); make it private with \`chmod 700 ${real}\``,
    );
  return real;
}

export const userRegistryPath = (home: string): string => join(home, 'config', 'services.toml');

const PACKAGE_NAME = 'provisioning-control-center';
let root: string | undefined;

/** The installed package's folder, found from this module whether it runs from source or a bundle. */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
      return (root = dir);
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder`);
  }
}

/**
 * A shipped file as a real path: in the packaged desktop app, registries and platform assets are
 * unpacked beside app.asar, because services run in them and docker mounts them.
 */
const shipped = (...parts: string[]): string => join(packageRoot(), ...parts).replace(/app\.asar(?=[/\\])/, 'app.asar.unpacked');

/** The demo registry that runs on any machine with Node: the default when nothing else is configured. */
export const embeddedRegistryPath = (): string => shipped('config', 'demo.toml');
/** The seed's seven platform services, written to the user's config by `provisioning init`. */
export const platformRegistryPath = (): string => shipped('config', 'services.toml');
export const registrySchemaPath = (): string => shipped('config', 'services.schema.json');
export const localOverrideExamplePath = (): string => shipped('config', 'services.local.toml.example');
