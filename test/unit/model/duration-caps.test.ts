/** Durations are capped below what Node's timers hold, with a located error, not a timer that fires at once. */
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseRegistry } from '@shared/model';
import { binaryService, issuesOf } from '../../support/registry-text';

const TOO_LONG = 'must be at most 576h (24 days): longer waits overflow the timers';
const withCheck = (check: string) => `${binaryService('x')}[services.x.health_check]\ntype = "tcp"\ntcp = { port = 8080 }\n${check}\n`;
const withStartup = (startup: string) => `${binaryService('x')}[services.x.startup]\n${startup}\n`;

describe('duration caps', () => {
  it('stays below the longest timer Node keeps (2³¹−1 ms)', () => {
    expect(MAX_DURATION_MS).toBe(576 * 3_600_000);
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1);
  });

  it('refuses a check interval or timeout of 1000h where it is written', () => {
    expect(issuesOf(withCheck('interval = "1000h"'))).toEqual([`services.toml:8:1 services.x.health_check.interval: ${TOO_LONG}`]);
    expect(issuesOf(withCheck('timeout = "1000h"'))).toEqual([`services.toml:8:1 services.x.health_check.timeout: ${TOO_LONG}`]);
    expect(issuesOf(withCheck('grace_period = "600h"'))).toEqual([`services.toml:8:1 services.x.health_check.grace_period: ${TOO_LONG}`]);
  });

  it('refuses startup waits just past the timer limit, and restart delays of 1000h', () => {
    // 2³¹ ms, one past what a timer holds.
    expect(issuesOf(withStartup('timeout = "596h31m23.648s"'))).toEqual([`services.toml:6:1 services.x.startup.timeout: ${TOO_LONG}`]);
    expect(issuesOf(withStartup('restart_delay = "1000h"\nrestart_delay_max = "1000h"'))).toEqual([
      `services.toml:6:1 services.x.startup.restart_delay: ${TOO_LONG}`,
      `services.toml:7:1 services.x.startup.restart_delay_max: ${TOO_LONG}`,
    ]);
    expect(issuesOf(withStartup('stop_timeout = "577h"'))).toEqual([`services.toml:6:1 services.x.startup.stop_timeout: ${TOO_LONG}`]);
  });

  it('refuses a number too long to hold without throwing', () => {
    expect(issuesOf(withStartup(`start_limit_window = "${'9'.repeat(400)}h"`))).toEqual([
      `services.toml:6:1 services.x.startup.start_limit_window: ${TOO_LONG}`,
    ]);
  });

  it('accepts the cap itself, in any spelling', () => {
    const { registry, issues } = parseRegistry(withStartup('timeout = "576h"\nrestart_delay_max = "575h59m60s"'), 'services.toml');
    expect(issues).toEqual([]);
    expect(registry!.services[0]!.startup).toMatchObject({ timeout: MAX_DURATION_MS, restart_delay_max: MAX_DURATION_MS });
  });
});
