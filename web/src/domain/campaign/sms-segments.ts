// How many SMS segments a text costs, as carriers bill it — the same rules as crmd's
// domain/campaign/sms_segments (the server's preview and the editor must agree). One character
// outside the GSM-7 alphabet (an emoji, a curly quote) switches the whole text to UCS-2, which cuts
// a segment from 160 to 70 characters: the editor shows it as it is typed.

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** GSM-7 septets (an extension character takes two) or UTF-16 code units. */
  units: number;
  /** 0 for an empty text. */
  segments: number;
}

export const GSM7_SINGLE = 160;
export const GSM7_MULTIPART = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTIPART = 67;

// The GSM 03.38 default alphabet outside printable ASCII (plus LF and CR, and minus the backtick).
const GSM7_BASIC_EXTRA = new Set('\n\r¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ');
// The extension table: escape + code, two septets each.
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** Septets `ch` (one code point) takes in GSM-7: 1, 2 (extension table), or 0 when it has no GSM-7 form. */
export function gsm7Septets(ch: string): number {
  if (GSM7_EXTENSION.has(ch)) return 2;
  if (GSM7_BASIC_EXTRA.has(ch)) return 1;
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f && ch !== '`' ? 1 : 0;
}

// A character's units never straddle two segments of a multipart text.
function pack(costs: number[], total: number, single: number, multipart: number): number {
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multipart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

export function countSegments(text: string): SmsSegments {
  const chars = Array.from(text); // code points: a surrogate pair is one character
  const septets = chars.map(gsm7Septets);
  const gsm7 = septets.every((s) => s > 0);
  // UCS-2 as providers send it: UTF-16, so a character beyond the BMP (most emoji) is two units.
  const costs = gsm7 ? septets : chars.map((c) => c.length);
  const total = costs.reduce((sum, c) => sum + c, 0);
  return gsm7
    ? { encoding: 'gsm7', units: total, segments: pack(costs, total, GSM7_SINGLE, GSM7_MULTIPART) }
    : { encoding: 'ucs2', units: total, segments: pack(costs, total, UCS2_SINGLE, UCS2_MULTIPART) };
}

/** Units left before the next segment starts (for "12 left in this segment"). */
export function unitsLeft(count: SmsSegments): number {
  if (count.segments === 0) return count.encoding === 'gsm7' ? GSM7_SINGLE : UCS2_SINGLE;
  const single = count.encoding === 'gsm7' ? GSM7_SINGLE : UCS2_SINGLE;
  const multipart = count.encoding === 'gsm7' ? GSM7_MULTIPART : UCS2_MULTIPART;
  if (count.segments === 1) return single - count.units;
  return Math.max(0, count.segments * multipart - count.units);
}
