/** Terminal colors, on only for a TTY and never when NO_COLOR is set (https://no-color.org). */

type Paint = (text: string) => string;

export interface Palette {
  readonly enabled: boolean;
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  readonly magenta: Paint;
  /** One of a few distinct colors by index: telling services apart in merged output. */
  readonly tint: (index: number) => Paint;
}

export function colorEnabled(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>, flag: boolean): boolean {
  if (!flag || env['NO_COLOR']) return false;
  if (env['FORCE_COLOR'] && env['FORCE_COLOR'] !== '0') return true;
  return isTTY === true;
}

const sgr = (enabled: boolean, open: number, close: number): Paint => (enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text);

/** Blue, magenta, cyan, green, yellow and their bright forms: not red, which means failure. */
const TINTS = [34, 35, 36, 32, 33, 94, 95, 96, 92, 93];

export function palette(enabled: boolean): Palette {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    dim: sgr(enabled, 2, 22),
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    cyan: sgr(enabled, 36, 39),
    magenta: sgr(enabled, 35, 39),
    tint: (index) => sgr(enabled, TINTS[index % TINTS.length]!, 39),
  };
}

// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleLength = (text: string): number => text.replace(ANSI, '').length;
