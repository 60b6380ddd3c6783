import { describe, expect, it } from 'vitest';
import { campaign } from '../../test/fixtures';
import { audienceFromForm, emptyForm, formFieldOf, formFromCampaign, fromLocalInput, inputFromForm, splitTags, toLocalInput } from './form';

describe('campaign form', () => {
  it('round-trips a saved campaign', () => {
    const c = campaign({
      id: 1,
      template_b: 'Hey {first_name}',
      ab_split_percent: 70,
      template_existing: 'Welcome back',
      on_existing_contact: 'adapt_script',
      audience: { tags: ['lead', 'spring'], sources: ['import_csv'], last_contacted_before: '2026-01-01T00:00:00Z', never_contacted: true },
      scheduled_at: '2026-05-01T14:30:00.000Z',
    });
    const input = inputFromForm(formFromCampaign(c));
    expect(input).toEqual({
      name: c.name,
      template_a: c.template_a,
      template_b: 'Hey {first_name}',
      template_existing: 'Welcome back',
      ab_split_percent: 70,
      opt_out_line: 'Reply STOP to opt out',
      from_phone_number_id: 'PN123',
      throttle_per_minute: 30,
      daily_cap: 1000,
      quiet_hours_start: '20:00',
      quiet_hours_end: '09:00',
      reply_window_hours: 72,
      on_existing_contact: 'adapt_script',
      audience: { tags: ['lead', 'spring'], sources: ['import_csv'], last_contacted_before: '2026-01-01T00:00:00Z', never_contacted: true },
      scheduled_at: '2026-05-01T14:30:00.000Z',
    });
  });

  it('clears optional parts that are switched off', () => {
    const input = inputFromForm({ ...emptyForm, name: ' x ', templateB: 'kept in the form', useB: false, useOptOut: false, scheduleLater: false, scheduledAt: '2026-05-01T10:00' });
    expect(input).toMatchObject({ name: 'x', template_b: null, ab_split_percent: 100, opt_out_line: null, scheduled_at: null, from_phone_number_id: null, template_existing: null });
  });

  it('sends only the audience filters that are set', () => {
    expect(audienceFromForm(emptyForm)).toEqual({});
    expect(audienceFromForm({ ...emptyForm, tags: ' a, b ,a,, ', hasOpenQuote: true, lastContactedAfter: '2026-02-03', allContacts: true })).toEqual({
      all_contacts: true,
      tags: ['a', 'b'],
      last_contacted_after: '2026-02-03T00:00:00Z',
      has_open_quote: true,
    });
  });

  it('converts datetime-local values through the browser zone', () => {
    const iso = fromLocalInput('2026-05-01T09:15');
    expect(iso).toBe(new Date('2026-05-01T09:15').toISOString());
    expect(toLocalInput(iso as string)).toBe('2026-05-01T09:15');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('nonsense')).toBeNull();
  });

  it('splits tags and maps server fields to the builder', () => {
    expect(splitTags('x,  y, x')).toEqual(['x', 'y']);
    expect(formFieldOf('audience.tags')).toBe('audience');
    expect(formFieldOf('template_b')).toBe('template_b');
  });
});
