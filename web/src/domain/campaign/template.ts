// Campaign message templates, parsed and rendered exactly as crmd's domain/campaign/message_template
// does, so the editor's live preview is what a contact will receive:
//   {field}           the contact's value
//   {field|fallback}  the fallback when the value is missing or blank ("Hi {first_name|there}")
//   {{ and }}         a literal { and }
// The server validates again on save; its 422 carries a UTF-8 byte offset (see byteOffsetToIndex).

export const MERGE_FIELDS = ['first_name', 'last_name', 'company', 'street', 'city', 'state', 'postal_code'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeValues = Partial<Record<MergeField, string | null>>;

export type TemplatePart = { text: string } | { field: MergeField; fallback: string };

export interface TemplateError {
  /** UTF-16 index of the offending brace in the template (for the textarea's selection). */
  index: number;
  message: string;
}

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; error: TemplateError };

function isMergeField(name: string): name is MergeField {
  return (MERGE_FIELDS as readonly string[]).includes(name);
}

const trim = (s: string) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

function fail(index: number, what: string): ParsedTemplate {
  return { ok: false, error: { index, message: what } };
}

function pushText(parts: TemplatePart[], text: string): void {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && 'text' in last) last.text += text;
  else parts.push({ text });
}

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < template.length) {
    const brace = template.slice(i).search(/[{}]/);
    if (brace < 0) {
      pushText(parts, template.slice(i));
      break;
    }
    const at = i + brace;
    pushText(parts, template.slice(i, at));
    const ch = template[at];
    if (template[at + 1] === ch) {
      pushText(parts, ch as string);
      i = at + 2;
      continue;
    }
    if (ch === '}') return fail(at, "'}' without an opening '{' (write }} for a literal brace)");
    const rest = template.slice(at + 1).search(/[{}]/);
    if (rest < 0) return fail(at, "'{' without a closing '}' (write {{ for a literal brace)");
    const close = at + 1 + rest;
    if (template[close] === '{') return fail(close, "'{' inside a merge field");
    const body = template.slice(at + 1, close);
    const bar = body.indexOf('|');
    const name = trim(bar < 0 ? body : body.slice(0, bar));
    if (!name) return fail(at, 'empty merge field');
    if (!isMergeField(name)) return fail(at, `unknown merge field '${name}'`);
    parts.push({ field: name, fallback: bar < 0 ? '' : body.slice(bar + 1) });
    i = close + 1;
  }
  return { ok: true, parts };
}

/** The text as sent: values trimmed, fallbacks for blanks, the opt-out line on its own line. */
export function renderTemplate(parts: TemplatePart[], values: MergeValues, optOutLine?: string | null): string {
  let out = '';
  for (const part of parts) {
    if ('text' in part) out += part.text;
    else {
      const value = trim(values[part.field] ?? '');
      out += value || part.fallback;
    }
  }
  if (optOutLine) out += (out ? '\n' : '') + optOutLine;
  return out;
}

/** The UTF-16 index of a UTF-8 byte offset in `text` (the server's error offsets are bytes). */
export function byteOffsetToIndex(text: string, byteOffset: number): number {
  const encoder = new TextEncoder();
  let bytes = 0;
  let index = 0;
  for (const ch of text) {
    if (bytes >= byteOffset) break;
    bytes += encoder.encode(ch).length;
    index += ch.length;
  }
  return index;
}

/** A merge field as typed into a template: `{first_name}` or `{first_name|there}`. */
export function mergeToken(field: MergeField, fallback = ''): string {
  return fallback ? `{${field}|${fallback}}` : `{${field}}`;
}
