/** design.md's layering is enforced by lint: each forbidden import is an error in the folder it is forbidden in. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function importErrors(filePath: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layering', () => {
  it.each([
    ['src-shared/model/x.ts', "import x from 'node:fs';"],
    ['src-shared/model/x.ts', "import x from 'path';"],
    ['src-shared/graph/x.ts', "import x from 'electron';"],
    ['src-shared/graph/x.ts', "import x from '../../src-main/core/paths';"],
    ['src-shared/graph/x.ts', "import x from 'react';"],
    ['src-renderer/src/x.ts', "import x from 'node:child_process';"],
    ['src-renderer/src/x.ts', "import x from 'electron';"],
    ['src-renderer/src/x.ts', "import x from '../../src-main/core/paths';"],
    ['src-main/cli/x.ts', "import x from 'electron';"],
    ['src-main/core/x.ts', "import x from 'commander';"],
    ['src-main/core/x.ts', "import x from '../cli/program';"],
    ['src-main/core/registry/x.ts', "import x from 'react';"],
  ])('forbids in %s: %s', async (file, source) => {
    expect(await importErrors(file, source)).toBe(1);
  });

  it.each([
    ['src-main/electron/x.ts', "import x from 'electron';"],
    ['src-main/preload/x.ts', "import x from 'electron';"],
    ['src-main/core/x.ts', "import x from 'node:fs';"],
    ['src-main/cli/x.ts', "import x from 'commander';"],
    ['src-shared/model/x.ts', "import x from 'zod';"],
  ])('allows in %s: %s', async (file, source) => {
    expect(await importErrors(file, source)).toBe(0);
  });
});
