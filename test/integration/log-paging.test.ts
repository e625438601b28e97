/** Paging back through a service log (logTail's `before`): page after page reaches the oldest line kept, across rotated files, each line once. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logFiles } from '../../src-main/core/logs/log-files';
import type { LogLine } from '../../src-main/core/logs/log-line';
import { tailBefore, tailLog } from '../../src-main/core/logs/log-reader';
import { LogWriter } from '../../src-main/core/logs/log-writer';
import { tempDir } from '../support/cli-run';

describe('paging back through a log', () => {
  it('brings the lines before the oldest shown, page by page, through every rotated file', async () => {
    const files = logFiles(tempDir('pcc-paging-'), 'svc');
    const writer = new LogWriter(files, { maxBytes: 16 * 1024, keep: 100 });
    for (let i = 0; i < 30; i++)
      writer.write(
        'out',
        Array.from({ length: 100 }, (_, j) => `line ${i * 100 + j + 1}`),
      );
    writer.close();
    expect(existsSync(files.rotated(3))).toBe(true); // the pages below cross files

    const pages: LogLine[][] = [await tailLog(files, 500)];
    for (let guard = 0; guard < 20; guard++) {
      const page = await tailBefore(files, 500, pages.at(-1)![0]!.seq);
      if (page.length === 0) break;
      pages.push(page);
    }
    expect(pages.map((page) => page.length)).toEqual([500, 500, 500, 500, 500, 500]);
    const texts = pages.reverse().flatMap((page) => page.map((line) => line.text));
    expect(texts).toEqual(Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`));
  });
});
