/**
 * `services logs` / `platform logs` with --stream, --grep, --since and --until, as a user runs them:
 * a real service writing to its stdout and stderr under a real daemon, the real CLI reading its log,
 * and a follow that goes on filtering the lines written after it started.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome, type Home } from '../support/cli-process';
import { tempDir } from '../support/cli-run';
import { nodeService, waitFor } from '../support/engine-harness';

// Round n is written when the file go-<n> appears: four lines, two per stream, one of each to keep.
const talker = `
const { existsSync } = require('node:fs');
let round = 0;
setInterval(() => {
  if (!existsSync(process.argv[1] + '/go-' + (round + 1))) return;
  round++;
  console.log('keep out ' + round);
  console.log('drop out ' + round);
  console.error('keep err ' + round);
  console.error('drop err ' + round);
}, 20);`;

interface JsonLine {
  readonly service: string;
  readonly seq: number;
  readonly time: string;
  readonly stream: string;
  readonly text: string;
}

const triggers = tempDir('pcc-talker-');
let h: Home;
let rounds = 0;

const logs = async (...args: string[]) => {
  const result = await h.run(['services', 'logs', 'talker', '--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonLine);
};
const texts = (lines: readonly JsonLine[]) => lines.filter((l) => l.stream !== 'evt').map((l) => l.text);
/** Has the talker write its next round; `seen` says when it has been read (default: in the log). */
async function nextRound(
  seen: (round: number) => boolean | Promise<boolean> = async (round) => texts(await logs()).includes(`drop err ${round}`),
): Promise<number> {
  const round = ++rounds;
  writeFileSync(join(triggers, `go-${round}`), '');
  await waitFor(() => seen(round));
  return round;
}

beforeAll(async () => {
  h = privateHome(nodeService('talker', ['-e', talker, triggers]) + nodeService('quiet', ['-e', 'console.log("quiet here"); setInterval(() => {}, 1e9)']));
  expect((await h.run(['platform', 'start', 'talker', 'quiet'])).code).toBe(0);
  await nextRound();
}, 60_000);
afterAll(() => h.cleanup());

describe('services logs filters', () => {
  it('--stream keeps the streams asked, repeated or as a comma list; evt are the lifecycle events', async () => {
    expect(texts(await logs('--stream', 'err', '-n', '2'))).toEqual([`keep err ${rounds}`, `drop err ${rounds}`]);
    const outAndEvents = await logs('--stream', 'out', '--stream', 'evt');
    expect(new Set(outAndEvents.map((l) => l.stream))).toEqual(new Set(['out', 'evt']));
    expect(texts(outAndEvents).slice(-2)).toEqual([`keep out ${rounds}`, `drop out ${rounds}`]);
    expect(await logs('--stream', 'out,evt')).toEqual(outAndEvents);
  });

  it('--grep keeps the lines whose text matches; -n counts the kept lines', async () => {
    expect(texts(await logs('--grep', '^keep', '-n', '2'))).toEqual([`keep out ${rounds}`, `keep err ${rounds}`]);
    expect(texts(await logs('--grep', 'keep|drop', '--stream', 'out', '-n', '1'))).toEqual([`drop out ${rounds}`]);
    const events = await logs('--grep', '^(started|healthy)');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((l) => l.stream === 'evt')).toBe(true);
  });

  it('--since and --until bound the lines by time, as ISO times or durations before now', async () => {
    const before = await logs('--stream', 'out,err');
    const round = await nextRound();
    const all = await logs('--stream', 'out,err');
    const firstOfRound = all.find((l) => l.text === `keep out ${round}`)!;
    expect(texts(await logs('--stream', 'out,err', '--until', before.at(-1)!.time))).toEqual(texts(before));
    const since = texts(await logs('--stream', 'out,err', '--since', firstOfRound.time));
    expect(since).toEqual([`keep out ${round}`, `drop out ${round}`, `keep err ${round}`, `drop err ${round}`]);
    expect(texts(await logs('--since', '1h'))).toEqual(texts(all));
    expect(await logs('--until', '1h')).toEqual([]);
  });

  it('platform logs filters every service the same way', async () => {
    const { stdout, code } = await h.run(['platform', 'logs', '--stream', 'out', '--grep', 'quiet|keep']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.some((l) => /^quiet +│ \S+ quiet here$/.test(l))).toBe(true);
    expect(lines.some((l) => /^talker │ \S+ keep out 1$/.test(l))).toBe(true);
    expect(lines.every((l) => /quiet here$|keep out \d+$/.test(l))).toBe(true);
  });

  it('-f goes on filtering the lines written after it started, until Ctrl-C', async () => {
    const follow = h.spawnPiped(['services', 'logs', 'talker', '-f', '--stream', 'err', '--grep', '^keep']);
    const shown = () => follow.stdout().includes(`keep err ${rounds}\n`);
    await waitFor(shown);
    // Two rounds: the follower has read all of the first (its drop lines too) once it shows the second.
    await nextRound(shown);
    await nextRound(shown);
    follow.child.kill('SIGINT');
    expect(await follow.exited).toBe(0);
    const lines = follow.stdout().trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(Array.from({ length: rounds }, (_, i) => `keep err ${i + 1}`));
  });

  it('-f with --until in the past prints what there is and ends by itself', async () => {
    const follow = h.spawnPiped(['services', 'logs', 'talker', '-f', '--grep', 'keep err 1', '--until', new Date().toISOString()]);
    expect(await follow.exited).toBe(0);
    expect(follow.stdout()).toMatch(/^\S+ keep err 1\n$/);
  });

  it('refuses what it cannot use with exit 2, saying what it takes', async () => {
    const cases: [string[], RegExp][] = [
      [['--grep', '(unclosed'], /--grep takes a JavaScript regular expression: .*Unterminated group/],
      [['--stream', 'out,stdout'], /--stream takes out, err, evt .* not 'stdout'/],
      [['--since', 'yesterday'], /--since takes a duration before now .* not 'yesterday'/],
      [['--until', '5 minutes'], /--until takes a duration before now .* not '5 minutes'/],
      [['--since', '10m', '--until', '1h'], /--since \(.+\) is after --until \(.+\): no line could match/],
    ];
    for (const [args, message] of cases) {
      const result = await h.run(['services', 'logs', 'talker', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });
});
