import { describe, expect, it } from 'vitest';
import { navigate } from './search-nav';

describe('search result keyboard navigation', () => {
  it('ArrowDown starts at the first result and wraps after the last', () => {
    expect(navigate('ArrowDown', -1, 3)).toEqual({ kind: 'move', active: 0 });
    expect(navigate('ArrowDown', 1, 3)).toEqual({ kind: 'move', active: 2 });
    expect(navigate('ArrowDown', 2, 3)).toEqual({ kind: 'move', active: 0 });
  });

  it('ArrowUp from nothing goes to the last result and wraps at the top', () => {
    expect(navigate('ArrowUp', -1, 3)).toEqual({ kind: 'move', active: 2 });
    expect(navigate('ArrowUp', 0, 3)).toEqual({ kind: 'move', active: 2 });
    expect(navigate('ArrowUp', 2, 3)).toEqual({ kind: 'move', active: 1 });
  });

  it('Enter opens the active result, or the first when none is active', () => {
    expect(navigate('Enter', 1, 3)).toEqual({ kind: 'select', index: 1 });
    expect(navigate('Enter', -1, 3)).toEqual({ kind: 'select', index: 0 });
    // The list shrank under a stale highlight: open the first rather than nothing.
    expect(navigate('Enter', 5, 3)).toEqual({ kind: 'select', index: 0 });
  });

  it('does nothing without results, except Escape', () => {
    for (const key of ['ArrowDown', 'ArrowUp', 'Enter', 'Home', 'End']) {
      expect(navigate(key, -1, 0)).toEqual({ kind: 'ignore' });
    }
    expect(navigate('Escape', -1, 0)).toEqual({ kind: 'close' });
  });

  it('Home/End jump only while a result is active, leaving the caret alone otherwise', () => {
    expect(navigate('End', 0, 4)).toEqual({ kind: 'move', active: 3 });
    expect(navigate('Home', 3, 4)).toEqual({ kind: 'move', active: 0 });
    expect(navigate('Home', -1, 4)).toEqual({ kind: 'ignore' });
  });

  it('ignores other keys (typing continues in the input)', () => {
    expect(navigate('a', 0, 3)).toEqual({ kind: 'ignore' });
    expect(navigate('Tab', 0, 3)).toEqual({ kind: 'ignore' });
  });
});
