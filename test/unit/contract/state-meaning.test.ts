/**
 * One meaning per state: the table is coherent, and the faces that show a state agree with each
 * other because they read it — the terminal's colour and the UI's colour are the same family, and
 * the tray's trouble, the UI's trouble filter and the tray's "serve" count are the same sets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_STATES, type ServiceState, type ServiceStatus } from '@shared/contract/service-state';
import { isLive, isTrouble, meaningOf, satisfies, SERVING, toneOf, UP } from '@shared/contract/state-meaning';
import type { DependencyCondition } from '@shared/model';
import { palette } from '../../../src-main/cli/output/palette';
import { paintState } from '../../../src-main/cli/output/status-style';
import { trayModel } from '../../../src-main/electron/tray-model';
import { filterServices } from '../../../src-renderer/src/state/service-view';

type Family = 'red' | 'amber' | 'green' | 'blue' | 'violet' | 'grey';

/** The colour family of a terminal SGR code. */
const SGR_FAMILY: Record<string, Family> = { '31': 'red', '33': 'amber', '32': 'green', '36': 'blue', '35': 'violet', '2': 'grey' };

function terminalFamily(state: ServiceState): Family {
  // eslint-disable-next-line no-control-regex -- reading the escape sequence is the point
  const code = /^\u001b\[(\d+)m/.exec(paintState(palette(true), state))?.[1];
  const family = code && SGR_FAMILY[code];
  if (!family) throw new Error(`${state} is painted with an unknown code ${code}`);
  return family;
}

/** The colour family of the UI's `tone-<tone>` class, read from the stylesheet the cards and nodes use. */
const css = readFileSync(new URL('../../../src-renderer/src/styles.css', import.meta.url), 'utf8');
const lightTheme = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
function uiFamily(state: ServiceState): Family {
  const variable = new RegExp(`\\.tone-${toneOf(state)} \\{\\s*--tone: var\\(--([a-z]+)\\);\\s*\\}`).exec(css)?.[1];
  const hex = variable && new RegExp(`--${variable}: #([0-9a-f]{6});`).exec(lightTheme)?.[1];
  if (!hex) throw new Error(`no colour for tone-${toneOf(state)}`);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const chroma = max - Math.min(r, g, b);
  if (chroma < 0.2) return 'grey';
  const hue = max === r ? (((g - b) / chroma) * 60 + 360) % 360 : max === g ? ((b - r) / chroma) * 60 + 120 : ((r - g) / chroma) * 60 + 240;
  return hue < 20 || hue >= 330 ? 'red' : hue < 70 ? 'amber' : hue < 170 ? 'green' : hue < 250 ? 'blue' : 'violet';
}

const status = (name: string, state: ServiceState): ServiceStatus => ({
  name,
  mode: 'binary',
  state,
  reason: state,
  since: 0,
  restarts: 0,
  ...(isLive(state) && state !== 'external' ? { pid: 100 } : {}),
});

describe('what each state means', () => {
  it('is one coherent table: serving is ok (or done) and up; trouble is exactly warn or bad', () => {
    for (const state of SERVICE_STATES) {
      const meaning = meaningOf(state);
      expect(meaning.serving, state).toBe(meaning.tone === 'ok' || meaning.tone === 'done');
      if (meaning.serving) expect(meaning.up, state).toBe(true);
      // A completed task is up (what needs it may go) with nothing left running.
      if (meaning.up) expect(meaning.live, state).toBe(state !== 'completed');
      expect(meaning.trouble, state).toBe(meaning.tone === 'warn' || meaning.tone === 'bad');
    }
    expect([...SERVING].sort()).toEqual(['completed', 'external', 'healthy']);
    expect([...UP].sort()).toEqual(['completed', 'degraded', 'external', 'healthy']);
  });

  it('says which states hold each dependency condition', () => {
    const holding = (condition: DependencyCondition) => SERVICE_STATES.filter((state) => satisfies(condition, state)).sort();
    expect(holding('healthy')).toEqual([...SERVING].sort());
    expect(holding('completed')).toEqual(['completed']);
    expect(holding('started')).toEqual(['completed', 'degraded', 'external', 'healthy', 'starting', 'unhealthy']);
    expect(satisfies('started', undefined)).toBe(false);
  });

  it.each(SERVICE_STATES)('%s has the same colour in the terminal and in the UI', (state) => {
    expect(terminalFamily(state)).toBe(uiFamily(state));
  });

  it.each(SERVICE_STATES)('%s is trouble in the tray exactly when the UI files it under trouble', (state) => {
    const tray = trayModel([status('api', 'healthy'), status('web', state)]);
    const trayTrouble = tray.tooltip.includes('trouble: web');
    const uiTrouble = filterServices([status('web', state)], '', 'trouble').length === 1;
    expect(trayTrouble, 'tray').toBe(isTrouble(state));
    expect(uiTrouble, 'ui').toBe(isTrouble(state));
  });

  it.each(SERVICE_STATES)('%s counts as serving in the tray exactly when the UI colours it ok', (state) => {
    const { tooltip } = trayModel([status('web', state), status('db', 'external')]);
    const runs = tooltip.match(/(\d) of (\d) running serve/);
    const serving = runs ? Number(runs[1]) - 1 : 0;
    expect(serving === 1, tooltip).toBe(toneOf(state) === 'ok');
  });

  it('settles the disagreements there were: unhealthy is red everywhere, blocked is trouble in the tray', () => {
    expect([terminalFamily('unhealthy'), uiFamily('unhealthy')]).toEqual(['red', 'red']);
    expect(trayModel([status('web', 'blocked')]).tooltip).toContain('trouble: web (blocked)');
  });
});
