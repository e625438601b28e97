import { describe, expect, it } from 'vitest';
import { palette } from '../../../src-main/cli/output/palette';
import { renderTable } from '../../../src-main/cli/output/table';

describe('renderTable', () => {
  it('aligns columns by visible width and cuts long lines to the terminal, colored or not', () => {
    const { bold } = palette(true);
    const rows = [[bold('orchestrator'), 'a long description that will not fit']];
    const lines = renderTable(['NAME', 'DESCRIPTION'], rows, { width: 26 }).split('\n');
    expect(lines[0]).toBe('NAME          DESCRIPTION');
    expect(lines[1]).toBe('\u001b[1morchestrator\u001b[22m  a long desc…\u001b[0m');
    expect(renderTable(['NAME', 'DESCRIPTION'], [['orchestrator', 'short']], { width: 26 })).toBe('NAME          DESCRIPTION\norchestrator  short');
  });
});
