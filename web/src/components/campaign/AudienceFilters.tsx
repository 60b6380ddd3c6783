// Who gets the campaign: contact filters (all combined with AND; tags and sources match any of the
// listed). Opted-out contacts are always left out by the server.
import { CONTACT_SOURCES } from '../../domain/campaign/form';
import { Checkbox, FieldMessage, TextField } from './fields';
import type { SectionProps } from './fields';

export function AudienceFilters({ form, set, errors }: SectionProps) {
  const toggleSource = (source: string, on: boolean) =>
    set({ sources: on ? [...form.sources, source] : form.sources.filter((s) => s !== source) });
  return (
    <fieldset class="section" data-testid="audience-filters">
      <legend>Audience</legend>
      <p class="muted">Contacts matching every filter below, plus anyone added from a CSV file. Opted-out contacts are never texted.</p>
      <Checkbox id="aud-all" label="All contacts with a phone number" checked={form.allContacts} onChange={(v) => set({ allContacts: v })} />
      <TextField id="aud-tags" label="Tags (any of, comma-separated)" value={form.tags} onInput={(v) => set({ tags: v })} placeholder="foundation, 2024-leads" />
      <fieldset class="inline-group">
        <legend>Sources (any of)</legend>
        {CONTACT_SOURCES.map((source) => (
          <Checkbox
            key={source}
            id={`aud-source-${source}`}
            label={source.replace('_', ' ')}
            checked={form.sources.includes(source)}
            onChange={(on) => toggleSource(source, on)}
          />
        ))}
      </fieldset>
      <div class="row">
        <TextField id="aud-before" type="date" label="Last contacted before" value={form.lastContactedBefore} onInput={(v) => set({ lastContactedBefore: v })} />
        <TextField id="aud-after" type="date" label="Last contacted after" value={form.lastContactedAfter} onInput={(v) => set({ lastContactedAfter: v })} />
      </div>
      <Checkbox id="aud-never" label="Never contacted" checked={form.neverContacted} onChange={(v) => set({ neverContacted: v })} />
      <Checkbox id="aud-quote" label="Has an open quote" checked={form.hasOpenQuote} onChange={(v) => set({ hasOpenQuote: v })} />
      <FieldMessage id="audience" error={errors['audience']} />
    </fieldset>
  );
}
