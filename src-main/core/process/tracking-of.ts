/** What `hello` says of process tracking for one home: the machine's mechanism, and this home's cgroup folder. */
import type { ProcessTrackingInfo } from '@shared/contract/tracking';
import { processTracking } from './cgroup-layout';
import { homeCgroup } from './service-cgroup';

export function trackingOf(home: string): ProcessTrackingInfo {
  const cgroup = homeCgroup(home);
  return { ...processTracking(), ...(cgroup ? { cgroup } : {}) };
}
