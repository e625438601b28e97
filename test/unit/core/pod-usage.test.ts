/** What metrics-server answers, read as a deployment's usage: Kubernetes quantities summed over pods and containers. */
import { describe, expect, it } from 'vitest';
import { countersOfPods, parseQuantity } from '../../../src-main/core/drivers/kubernetes/pod-usage';

describe('pod metrics', () => {
  it('reads CPU and memory quantities in every suffix metrics-server uses', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1234567n')).toBeCloseTo(0.001234567);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('51200Ki')).toBe(51200 * 1024);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('3M')).toBe(3e6);
  });

  it('refuses anything that is not a quantity, without throwing', () => {
    for (const bad of ['', 'm', '12x', '-1', '1e3', ' 1', 'Infinity', '9'.repeat(41), 12, null, undefined, {}]) expect(parseQuantity(bad)).toBeUndefined();
  });

  it('sums every container of every pod, at the newest reading, as a rate in percent of a core', () => {
    const items = [
      { timestamp: '2026-12-01T10:00:00Z', containers: [{ usage: { cpu: '150m', memory: '10Mi' } }, { usage: { cpu: '50000000n', memory: '2Mi' } }] },
      { timestamp: '2026-12-01T10:00:05Z', containers: [{ usage: { cpu: '1', memory: '4Mi' } }] },
    ];
    expect(countersOfPods(items)).toEqual({ cpuUsec: 0, cpuPercent: 120, memoryBytes: 16 * 2 ** 20, at: Date.parse('2026-12-01T10:00:05Z') });
  });

  it('has no reading for no pods or a malformed answer', () => {
    expect(countersOfPods([])).toBeUndefined();
    expect(countersOfPods(undefined)).toBeUndefined();
    expect(countersOfPods('nope')).toBeUndefined();
    expect(countersOfPods([{ containers: 'x' }])).toBeUndefined();
  });
});
