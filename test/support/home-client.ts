/** A contract client of the owner of a private home (the daemon the CLI starts on demand), as the graph view and scripts talk to it. */
import { join } from 'node:path';
import { connectToOwner, type OwnerClient } from '../../src-main/daemon/owner-client';
import type { Home } from './cli-process';

export function ownerOf(home: Home): Promise<OwnerClient> {
  return connectToOwner({
    home: home.home,
    registryPath: home.registry,
    env: { ...process.env, PROVISIONING_HOME: home.home, PROVISIONING_CONFIG: home.registry },
    cli: join(process.cwd(), 'bin', 'provisioning.js'),
  });
}
