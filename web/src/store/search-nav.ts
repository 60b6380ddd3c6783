// Keyboard movement through the contact-search results (the ARIA combobox pattern): the input
// keeps focus and the active option moves. -1 means no option is active.

export type NavOutcome =
  | { kind: 'move'; active: number }
  | { kind: 'select'; index: number }
  | { kind: 'close' }
  | { kind: 'ignore' };

export function navigate(key: string, active: number, count: number): NavOutcome {
  switch (key) {
    case 'ArrowDown':
      if (count === 0) return { kind: 'ignore' };
      return { kind: 'move', active: active + 1 >= count ? 0 : active + 1 };
    case 'ArrowUp':
      if (count === 0) return { kind: 'ignore' };
      return { kind: 'move', active: active <= 0 ? count - 1 : active - 1 };
    case 'Home':
    case 'End':
      // Left to the text field's own caret movement unless an option is active.
      if (count === 0 || active < 0) return { kind: 'ignore' };
      return { kind: 'move', active: key === 'Home' ? 0 : count - 1 };
    case 'Enter':
      if (count === 0) return { kind: 'ignore' };
      // With nothing highlighted, Enter opens the best (first) match.
      return { kind: 'select', index: active >= 0 && active < count ? active : 0 };
    case 'Escape':
      return { kind: 'close' };
    default:
      return { kind: 'ignore' };
  }
}
