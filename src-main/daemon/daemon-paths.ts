/** Files of the owning daemon, inside the private state dir. */
import { join } from 'node:path';
import { stateDirs } from '../core/state/state-store';

export const daemonSocketPath = (home: string): string => join(stateDirs(home).root, 'owner.sock');
export const daemonLogPath = (home: string): string => join(stateDirs(home).root, 'daemon.log');
