// A contract timestamp as the reader's local date and time; `fallback` for null or garbage.
export function when(iso: string | null | undefined, fallback = ''): string {
  if (!iso) return fallback;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? fallback : d.toLocaleString();
}
