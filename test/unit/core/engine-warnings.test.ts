/** Warnings are told once and shown for an hour after they last happened, so an old one does not stay forever. */
import { describe, expect, it } from 'vitest';
import { EngineWarnings, WARNING_SHOWN_MS } from '../../../src-main/core/engine-warnings';

describe('engine warnings', () => {
  it('tells each once, shows it for an hour after it last happened, then drops it', () => {
    let now = 1_000;
    const told: string[] = [];
    const warnings = new EngineWarnings(
      (message) => told.push(message),
      () => now,
    );
    warnings.add('state of web was set aside');
    now += WARNING_SHOWN_MS / 2;
    warnings.add('logs of api: disk full');
    warnings.add('state of web was set aside');
    expect(told).toEqual(['state of web was set aside', 'logs of api: disk full']);
    // Happening again made it the newest.
    expect(warnings.list).toEqual(['logs of api: disk full', 'state of web was set aside']);
    now += WARNING_SHOWN_MS + 1;
    // Before: kept (and shown by every `services status`) until the owner ended.
    expect(warnings.list).toEqual([]);
    warnings.add('logs of api: disk full');
    expect(told).toHaveLength(3);
    expect(warnings.list).toEqual(['logs of api: disk full']);
  });
});
