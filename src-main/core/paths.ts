/** Where things live: the user's provisioning home, and the files shipped with this package. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Env = Readonly<Record<string, string | undefined>>;

/** `PROVISIONING_HOME`, else `~/.provisioning`. */
export function provisioningHome(env: Env): string {
  return env['PROVISIONING_HOME'] || join(homedir(), '.provisioning');
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
