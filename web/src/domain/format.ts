// Display formatting: phone numbers, names, durations, times.

/**
 * E.164 as people in the US read it: +1 NANP numbers become "(617) 555-0134"; anything else
 * stays in E.164 (the business calls abroad rarely; an unfamiliar layout beats a wrong one).
 */
export function formatPhone(raw: string | null | undefined): string {
  if (!raw) return '';
  const text = raw.trim();
  const digits = text.replace(/\D/g, '');
  const international = text.startsWith('+');
  let national: string | null = null;
  if (digits.length === 11 && digits.startsWith('1')) national = digits.slice(1);
  else if (digits.length === 10 && !international) national = digits;
  if (national) return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
  return international ? `+${digits}` : text;
}

interface Named {
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  company?: string | null;
  phone: string | null;
}

/** The contract's fallback: display_name || first+last || company || phone. */
export function displayName(c: Named): string {
  const full = [c.first_name, c.last_name].filter((s) => s && s.trim()).join(' ').trim();
  return c.display_name?.trim() || full || c.company?.trim() || formatPhone(c.phone) || 'Unknown';
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds < 0) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** Inbox timestamps: the time today, the weekday within a week, else the date. */
export function formatRelative(iso: string | null, now: Date = new Date(), timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  const age = now.getTime() - d.getTime();
  const sameDay = dayKey(d, timeZone) === dayKey(now, timeZone);
  if (sameDay) return formatTime(iso, timeZone);
  if (age < 6 * 86_400_000) return new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone }).format(d);
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone }).format(d);
}

/** "2026-11-24" in the given (default: the browser's) time zone. */
export function dayKey(d: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(d);
}
