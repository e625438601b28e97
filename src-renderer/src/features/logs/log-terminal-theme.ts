/** The log terminal's colours per page theme, without a DOM: its palettes and the fill of a match. */
import type { ITheme } from '@xterm/xterm';

export type ThemeName = 'light' | 'dark';

/**
 * The fill under a match, per theme: the page's text on it reads at ≥ 6:1 (light: 12.7:1, dark
 * 6.1:1), and xterm's minimum contrast lifts coloured text on it. Lit as truecolour SGR in the
 * text rather than as xterm search decorations: those are made for the first 1,000 matches from
 * the top (not the ones on screen) and, made again as a flood scrolls, cost a third of the frames
 * (`npm run bench:ui`).
 */
export const MATCH_FILL: Record<ThemeName, readonly [number, number, number]> = { light: [0xff, 0xe0, 0x66], dark: [0x6b, 0x55, 0x00] };

// Palettes after GitHub's light and dark terminal colours, on the app's own --bg and --fg.
export const THEMES: Record<ThemeName, ITheme> = {
  light: {
    background: '#f6f7f9',
    foreground: '#1b1f24',
    selectionBackground: '#b6d4fe',
    black: '#24292f',
    red: '#b31d28',
    green: '#116329',
    yellow: '#7d4e00',
    blue: '#0550ae',
    magenta: '#8250df',
    cyan: '#0a6173',
    white: '#57606a',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#1a7f37',
    brightYellow: '#633c01',
    brightBlue: '#0969da',
    brightMagenta: '#6639ba',
    brightCyan: '#0b5e6e',
    brightWhite: '#24292f',
  },
  dark: {
    background: '#0f1419',
    foreground: '#e6edf3',
    selectionBackground: '#264f78',
    black: '#484f58',
    red: '#ff7b72',
    green: '#7ee787',
    yellow: '#e3b341',
    blue: '#79c0ff',
    magenta: '#d2a8ff',
    cyan: '#56d4dd',
    white: '#c9d1d9',
    brightBlack: '#8b949e',
    brightRed: '#ffa198',
    brightGreen: '#aff5b4',
    brightYellow: '#f8e3a1',
    brightBlue: '#a5d6ff',
    brightMagenta: '#e2c5ff',
    brightCyan: '#b3f0ff',
    brightWhite: '#f0f6fc',
  },
};
