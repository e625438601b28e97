/** A highlight explained by a notice (a refused cycle) goes when that notice goes: dismissed, or expired. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useUi } from '../../../src-renderer/src/state/ui-store';

describe('a highlight tied to a notice', () => {
  afterEach(() => {
    vi.useRealTimers();
    useUi.setState({ highlight: undefined, notices: [] });
  });

  it('is cleared when its notice is dismissed, and not by another notice', () => {
    const { notify, setHighlight, dismiss } = useUi.getState();
    const other = notify('info', 'saved');
    const notice = notify('error', 'Refused: a cycle');
    setHighlight({ kind: 'cycle', names: ['a', 'b'], notice });
    dismiss(other);
    expect(useUi.getState().highlight?.kind).toBe('cycle');
    dismiss(notice);
    expect(useUi.getState().highlight).toBeUndefined();
  });

  it('is cleared when its notice expires; a highlight of the person’s own stays', () => {
    vi.useFakeTimers();
    const { notify, setHighlight } = useUi.getState();
    setHighlight({ kind: 'cycle', names: ['a', 'b'], notice: notify('error', 'Refused: a cycle') });
    vi.runAllTimers();
    expect(useUi.getState().highlight).toBeUndefined();
    setHighlight({ kind: 'critical', names: ['a'] });
    notify('error', 'unrelated');
    vi.runAllTimers();
    expect(useUi.getState().highlight?.kind).toBe('critical');
  });
});
