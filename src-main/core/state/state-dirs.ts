/** The folders of <home>/services (state-store.ts): apart from the store, so naming them loads no record schema. */
import { join } from 'node:path';

export interface StateDirs {
  readonly root: string;
  readonly state: string;
  readonly pids: string;
  readonly logs: string;
}

export const stateDirs = (home: string): StateDirs => {
  const root = join(home, 'services');
  return { root, state: join(root, 'state'), pids: join(root, 'pids'), logs: join(root, 'logs') };
};
