import { describe, expect, it } from 'vitest';
import { countSegments, gsm7Septets, unitsLeft } from './sms-segments';

describe('countSegments', () => {
  it('counts nothing for an empty text', () => {
    expect(countSegments('')).toEqual({ encoding: 'gsm7', units: 0, segments: 0 });
  });

  it('fits 160 GSM-7 characters in one segment and 153 per part after that', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts the extension table as two septets and keeps GSM-7', () => {
    for (const ch of ['€', '{', '}', '[', ']', '~', '|', '^', '\\', '\f']) expect(gsm7Septets(ch)).toBe(2);
    expect(countSegments('Price: 5€')).toEqual({ encoding: 'gsm7', units: 10, segments: 1 });
    expect(countSegments('{'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(countSegments('{'.repeat(81))).toEqual({ encoding: 'gsm7', units: 162, segments: 2 });
  });

  it('keeps the GSM-7 basic non-ASCII letters and newlines at one septet', () => {
    expect(countSegments('Café Ñoño £5 ¿Qué?\nΔ')).toEqual({ encoding: 'gsm7', units: 20, segments: 1 });
    // GSM-7 has é but not í or ú.
    expect(countSegments('Sí').encoding).toBe('ucs2');
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7', () => {
    expect(countSegments('It’s here')).toEqual({ encoding: 'ucs2', units: 9, segments: 1 });
    expect(countSegments('`').encoding).toBe('ucs2');
    expect(countSegments('ê'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
    expect(countSegments('ê'.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, segments: 2 });
    expect(countSegments('ê'.repeat(134)).segments).toBe(2);
    expect(countSegments('ê'.repeat(135)).segments).toBe(3);
  });

  it('counts UTF-16 code units in UCS-2: an emoji beyond the BMP is two', () => {
    expect(countSegments('Hi 😀')).toEqual({ encoding: 'ucs2', units: 5, segments: 1 });
    // 35 emoji = 70 units: still one segment.
    expect(countSegments('😀'.repeat(35))).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
  });

  it('never splits a character across two segments', () => {
    // 66 + 2 + 66 = 134 units would fit two 67-unit parts, but the emoji cannot straddle them.
    expect(countSegments('ê'.repeat(66) + '😀' + 'ê'.repeat(66))).toEqual({ encoding: 'ucs2', units: 134, segments: 3 });
    // The same with an extension character in GSM-7: 152 + 2 + 152 = 306.
    expect(countSegments('a'.repeat(152) + '€' + 'a'.repeat(152))).toEqual({ encoding: 'gsm7', units: 306, segments: 3 });
  });
});

describe('unitsLeft', () => {
  it('tells what is left in the current segment', () => {
    expect(unitsLeft(countSegments(''))).toBe(160);
    expect(unitsLeft(countSegments('a'.repeat(150)))).toBe(10);
    expect(unitsLeft(countSegments('a'.repeat(200)))).toBe(106);
    expect(unitsLeft(countSegments('😀'))).toBe(68);
  });
});
