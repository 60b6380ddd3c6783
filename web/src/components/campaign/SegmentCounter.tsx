// "1 segment · 42/160 GSM-7": what the rendered text costs per contact, and why, when a single
// character has switched it to UCS-2 (70 per segment instead of 160).
import type { SmsSegments } from '../../domain/campaign/sms-segments';
import { unitsLeft } from '../../domain/campaign/sms-segments';

export function SegmentCounter({ count }: { count: SmsSegments }) {
  const ucs2 = count.encoding === 'ucs2';
  return (
    <p class="segment-counter" data-testid="segment-counter" data-encoding={count.encoding} data-segments={count.segments} aria-live="polite">
      <strong>
        {count.segments} {count.segments === 1 ? 'segment' : 'segments'}
      </strong>{' '}
      · {count.units} {ucs2 ? 'UCS-2 units' : 'GSM-7 characters'} · {unitsLeft(count)} left in this segment
      {ucs2 && <span class="warning-text"> — a character outside GSM-7 (emoji, curly quote) limits each segment to 70</span>}
    </p>
  );
}
