/** Median wall time of a function over repeated runs, after a warm-up, a process's idle CPU share, and table printing. */
import { readFileSync } from 'node:fs';

/** `setup` runs untimed before each run and hands it its input. */
export function median<T>(run: (input: T) => unknown, repeats: number, setup: () => T = () => undefined as T): number {
  for (let i = 0; i < Math.min(3, repeats); i++) run(setup());
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const input = setup();
    const start = performance.now();
    run(input);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((_, c) => Math.max(header[c]!.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** CPU time a process used so far, in ms (USER_HZ 100 on every Linux Node supports). */
export function cpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The share of one core (100 = one core) `pid` used over `seconds`, after `warmUpMs` that are not idle cost. */
export async function idleShare(pid: number, { warmUpMs, seconds }: { warmUpMs: number; seconds: number }): Promise<number> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(warmUpMs);
  const cpu = cpuMs(pid);
  const wall = performance.now();
  await sleep(seconds * 1000);
  return ((cpuMs(pid) - cpu) / (performance.now() - wall)) * 100;
}
