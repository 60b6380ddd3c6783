// How the campaign sends: number, pace, quiet hours, reply window, existing customers and when.
import { Checkbox, FieldMessage, TextField, toInt } from './fields';
import type { SectionProps } from './fields';
import type { ExistingContactRule } from '../../api/campaign-types';

const RULES: { value: ExistingContactRule; label: string }[] = [
  { value: 'ignore', label: 'Skip them' },
  { value: 'flag_for_review', label: 'Hold them for review' },
  { value: 'adapt_script', label: 'Send the existing-customer template' },
];

export function SendingSettings({ form, set, errors }: SectionProps) {
  return (
    <fieldset class="section" data-testid="sending-settings">
      <legend>Sending</legend>
      <TextField
        id="from_phone_number_id"
        label="Sending number (OpenPhone phone number id, PN…)"
        value={form.fromPhoneNumberId}
        onInput={(v) => set({ fromPhoneNumberId: v })}
        placeholder="PN…"
        error={errors['from_phone_number_id']}
      />
      <div class="row">
        <TextField id="throttle_per_minute" type="number" min={1} max={1000} label="Texts per minute" value={form.throttlePerMinute}
          onInput={(v) => set({ throttlePerMinute: toInt(v, form.throttlePerMinute) })} error={errors['throttle_per_minute']} />
        <TextField id="daily_cap" type="number" min={1} max={100000} label="Daily cap" value={form.dailyCap}
          onInput={(v) => set({ dailyCap: toInt(v, form.dailyCap) })} error={errors['daily_cap']} />
      </div>
      <div class="row">
        <TextField id="quiet_hours_start" type="time" label="Quiet hours start" value={form.quietStart} onInput={(v) => set({ quietStart: v })} error={errors['quiet_hours_start']} />
        <TextField id="quiet_hours_end" type="time" label="Quiet hours end" value={form.quietEnd} onInput={(v) => set({ quietEnd: v })} error={errors['quiet_hours_end']} />
      </div>
      <p class="muted field-hint">In each contact's own time zone; and never outside the hard window (8:00–21:00 unless configured stricter).</p>
      <TextField id="reply_window_hours" type="number" min={1} max={720} label="Reply window (hours)" value={form.replyWindowHours}
        onInput={(v) => set({ replyWindowHours: toInt(v, form.replyWindowHours) })} error={errors['reply_window_hours']} />
      <div class="field">
        <label for="on_existing_contact">Existing customers</label>
        <select id="on_existing_contact" value={form.onExisting} onChange={(e) => set({ onExisting: e.currentTarget.value as ExistingContactRule })}>
          {RULES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <FieldMessage id="on_existing_contact" error={errors['on_existing_contact']} />
      </div>
      <Checkbox id="schedule-later" label="Schedule for later (otherwise it starts when launched)" checked={form.scheduleLater} onChange={(v) => set({ scheduleLater: v })} />
      {form.scheduleLater && (
        <TextField id="scheduled_at" type="datetime-local" label="Start at" value={form.scheduledAt} onInput={(v) => set({ scheduledAt: v })} error={errors['scheduled_at']} />
      )}
    </fieldset>
  );
}
