// Day separators for the timeline: consecutive activities grouped by their local calendar day.
import type { Activity } from '../api/types';
import { dayKey } from './format';

export interface DayGroup {
  key: string;
  label: string;
  items: Activity[];
}

export function dayLabel(key: string, now: Date, timeZone?: string): string {
  const today = dayKey(now, timeZone);
  if (key === today) return 'Today';
  if (key === dayKey(new Date(now.getTime() - 86_400_000), timeZone)) return 'Yesterday';
  // Noon UTC of that date names the same calendar day in every time zone within ±11 h.
  const date = new Date(`${key}T12:00:00Z`);
  const sameYear = key.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** `activities` must be sorted (either direction); groups follow that order. */
export function groupByDay(activities: readonly Activity[], now: Date = new Date(), timeZone?: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const activity of activities) {
    const key = dayKey(new Date(activity.occurred_at), timeZone);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.items.push(activity);
    else groups.push({ key, label: dayLabel(key, now, timeZone), items: [activity] });
  }
  return groups;
}
