import { describe, expect, it } from 'vitest';
import { displayName, formatDuration, formatPhone, formatRelative } from './format';

describe('formatPhone', () => {
  it('formats NANP numbers the US way', () => {
    expect(formatPhone('+16175550134')).toBe('(617) 555-0134');
    expect(formatPhone('6175550134')).toBe('(617) 555-0134');
    expect(formatPhone('1 617 555 0134')).toBe('(617) 555-0134');
    expect(formatPhone(' (617) 555-0134 ')).toBe('(617) 555-0134');
  });

  it('keeps other countries in E.164', () => {
    expect(formatPhone('+442071838750')).toBe('+442071838750');
    expect(formatPhone('+44 20 7183 8750')).toBe('+442071838750');
    // Ten digits after a + are not a US number without the country code.
    expect(formatPhone('+3312345678')).toBe('+3312345678');
  });

  it('passes through what is not a phone number and handles empty values', () => {
    expect(formatPhone('anonymous')).toBe('anonymous');
    expect(formatPhone('555')).toBe('555');
    expect(formatPhone(null)).toBe('');
    expect(formatPhone(undefined)).toBe('');
  });
});

describe('displayName', () => {
  const base = { display_name: null, first_name: null, last_name: null, company: null, phone: null };
  it('follows display_name || first+last || company || phone', () => {
    expect(displayName({ ...base, display_name: 'Bob (plumber)', first_name: 'Bob' })).toBe('Bob (plumber)');
    expect(displayName({ ...base, first_name: 'Ann', last_name: 'Lee', company: 'Acme' })).toBe('Ann Lee');
    expect(displayName({ ...base, last_name: 'Lee' })).toBe('Lee');
    expect(displayName({ ...base, display_name: '  ', company: 'Acme' })).toBe('Acme');
    expect(displayName({ ...base, phone: '+16175550134' })).toBe('(617) 555-0134');
    expect(displayName(base)).toBe('Unknown');
  });
});

describe('formatDuration', () => {
  it('renders m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-24T18:00:00Z');
  it('shows the time today, the weekday this week, the date before', () => {
    // ICU 72 (Debian 12's Node 18) puts a narrow no-break space before "PM"; others a plain one.
    expect(formatRelative('2026-11-24T15:05:00Z', now, 'UTC').replace(/\s/g, ' ')).toBe('3:05 PM');
    expect(formatRelative('2026-11-21T15:05:00Z', now, 'UTC')).toBe('Sat');
    expect(formatRelative('2026-10-01T15:05:00Z', now, 'UTC')).toBe('Oct 1');
    expect(formatRelative(null, now, 'UTC')).toBe('');
  });
});
