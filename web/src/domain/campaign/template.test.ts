import { describe, expect, it } from 'vitest';
import { byteOffsetToIndex, mergeToken, parseTemplate, renderTemplate } from './template';
import type { MergeValues } from './template';

function render(template: string, values: MergeValues, optOut?: string | null): string {
  const parsed = parseTemplate(template);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return renderTemplate(parsed.parts, values, optOut);
}

describe('parseTemplate and renderTemplate', () => {
  it('fills merge fields, with the fallback for a missing or blank value', () => {
    expect(render('Hi {first_name|there}, about {street}', { first_name: 'Maria', street: '12 Oak St' })).toBe('Hi Maria, about 12 Oak St');
    expect(render('Hi {first_name|there}!', {})).toBe('Hi there!');
    expect(render('Hi {first_name|there}!', { first_name: '   ' })).toBe('Hi there!');
    expect(render('Hi {first_name}!', { first_name: null })).toBe('Hi !');
  });

  it('trims values, allows spaces around names and keeps the fallback verbatim', () => {
    expect(render('{ city }/{state| n/a }', { city: ' Springfield ', state: '' })).toBe('Springfield/ n/a ');
  });

  it('reads doubled braces as literal braces', () => {
    expect(render('{{first_name}} is {first_name}', { first_name: 'Al' })).toBe('{first_name} is Al');
  });

  it('appends the opt-out line on its own line', () => {
    expect(render('Hello', {}, 'Reply STOP to opt out')).toBe('Hello\nReply STOP to opt out');
    expect(render('', {}, 'Reply STOP to opt out')).toBe('Reply STOP to opt out');
    expect(render('Hello', {}, null)).toBe('Hello');
  });

  it('reports each kind of error at the offending brace', () => {
    expect(parseTemplate('Hi {frist_name}')).toEqual({ ok: false, error: { index: 3, message: "unknown merge field 'frist_name'" } });
    expect(parseTemplate('Hi {|x}')).toMatchObject({ ok: false, error: { index: 3, message: 'empty merge field' } });
    expect(parseTemplate('Hi {first_name')).toMatchObject({ ok: false, error: { index: 3 } });
    expect(parseTemplate('Hi } there')).toMatchObject({ ok: false, error: { index: 3 } });
    expect(parseTemplate('Hi {first{name}')).toMatchObject({ ok: false, error: { index: 9, message: "'{' inside a merge field" } });
  });

  it('builds tokens for the chips', () => {
    expect(mergeToken('company')).toBe('{company}');
    expect(mergeToken('first_name', 'there')).toBe('{first_name|there}');
  });
});

describe('byteOffsetToIndex', () => {
  it('maps the server’s UTF-8 byte offsets to string indexes', () => {
    expect(byteOffsetToIndex('Hi {x}', 3)).toBe(3);
    // é is two bytes, 😀 four bytes and two UTF-16 units.
    expect(byteOffsetToIndex('Olé {x}', 5)).toBe(4);
    expect(byteOffsetToIndex('😀 {x}', 5)).toBe(3);
    const text = 'Olé 😀 {frist}';
    expect(text[byteOffsetToIndex(text, new TextEncoder().encode('Olé 😀 ').length)]).toBe('{');
  });
});
