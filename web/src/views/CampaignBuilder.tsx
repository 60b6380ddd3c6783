// `/campaigns/new` and `/campaigns/:id/edit`: the campaign's texts, audience and sending settings.
// A new campaign is saved as a draft first; the audience preview and CSV upload work on the saved
// draft (the server decides who is in), so they appear once it has an id.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/client';
import { campaignApi } from '../api/campaigns';
import type { AudiencePreview as Preview, Campaign } from '../api/campaign-types';
import { AudienceFilters } from '../components/campaign/AudienceFilters';
import { AudiencePreview } from '../components/campaign/AudiencePreview';
import { CsvUpload } from '../components/campaign/CsvUpload';
import { Checkbox, TextField } from '../components/campaign/fields';
import { SendingSettings } from '../components/campaign/SendingSettings';
import { TemplateEditor } from '../components/campaign/TemplateEditor';
import type { FieldError } from '../components/campaign/TemplateEditor';
import { emptyForm, formFieldOf, formFromCampaign, inputFromForm } from '../domain/campaign/form';
import type { CampaignForm } from '../domain/campaign/form';
import { isEditable } from '../domain/campaign/status';
import { byteOffsetToIndex, parseTemplate } from '../domain/campaign/template';
import type { MergeValues } from '../domain/campaign/template';
import { navigate, onLinkClick } from '../router';

const SAMPLES: { label: string; values: MergeValues }[] = [
  {
    label: 'Maria Lopez, 12 Oak St, Springfield MA',
    values: { first_name: 'Maria', last_name: 'Lopez', company: '', street: '12 Oak St', city: 'Springfield', state: 'MA', postal_code: '01103' },
  },
  { label: 'A contact with no name or address (fallbacks)', values: {} },
];

// The form text a server error's byte offset points into.
const TEMPLATE_OF: Record<string, (f: CampaignForm) => string> = {
  template_a: (f) => f.templateA,
  template_b: (f) => f.templateB,
  template_existing: (f) => f.templateExisting,
};

export function CampaignBuilder({ id }: { id: number | null }) {
  const [form, setForm] = useState<CampaignForm>(emptyForm);
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [sample, setSample] = useState(0);

  const loadPreview = () => {
    if (id === null) return;
    setPreviewError(null);
    campaignApi
      .audiencePreview(id)
      .then(setPreview)
      .catch((e: unknown) => setPreviewError(describeError(e)));
  };

  useEffect(() => {
    document.title = id === null ? 'New campaign — crmd' : 'Edit campaign — crmd';
    if (id === null) return;
    campaignApi
      .get(id)
      .then((c) => {
        setCampaign(c);
        setForm(formFromCampaign(c));
        if (isEditable(c.status)) loadPreview();
      })
      .catch((e: unknown) => setLoadError(e instanceof ApiError && e.status === 404 ? 'This campaign does not exist.' : describeError(e)));
  }, [id]);

  const set = (patch: Partial<CampaignForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setStatus(null);
  };
  const setTemplate = (field: string, patch: Partial<CampaignForm>) => {
    set(patch);
    setErrors(({ [field]: _dropped, ...rest }) => rest);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const local: Record<string, FieldError> = {};
    if (!form.name.trim()) local['name'] = { message: 'Give the campaign a name.' };
    if (!form.templateA.trim()) local['template_a'] = { message: 'Template A is required.' };
    for (const [field, of] of Object.entries(TEMPLATE_OF)) {
      const parsed = parseTemplate(of(form));
      if (!parsed.ok) local[field] = parsed.error;
    }
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setStatus({ text: 'Fix the marked fields, then save again.', error: true });
      return;
    }
    setSaving(true);
    setStatus(null);
    try {
      const saved = id === null ? await campaignApi.create(inputFromForm(form)) : await campaignApi.update(id, inputFromForm(form));
      if (id === null) {
        navigate(`/campaigns/${saved.id}/edit`, { replace: true });
        return;
      }
      setCampaign(saved);
      setForm(formFromCampaign(saved));
      setStatus({ text: 'Draft saved.', error: false });
      loadPreview();
    } catch (e) {
      if (e instanceof ApiError && e.detail.field) {
        const field = formFieldOf(e.detail.field);
        const text = TEMPLATE_OF[field]?.(form);
        const index = text !== undefined && e.detail.offset !== undefined ? byteOffsetToIndex(text, e.detail.offset) : undefined;
        setErrors({ [field]: { message: e.message, index } });
        setStatus({ text: 'The server refused a field: see the message next to it.', error: true });
      } else {
        setStatus({ text: describeError(e), error: true });
      }
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <p role="alert">{loadError}</p>
      </main>
    );
  }
  if (id !== null && !campaign) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <p class="muted">Loading…</p>
      </main>
    );
  }
  if (campaign && !isEditable(campaign.status)) {
    const href = `/campaigns/${campaign.id}`;
    return (
      <main id="main" class="page" tabIndex={-1}>
        <p role="alert">
          This campaign is {campaign.status} and can no longer be edited.{' '}
          <a href={href} onClick={(e) => onLinkClick(e, href)}>
            Open it
          </a>
        </p>
      </main>
    );
  }

  const optOut = form.useOptOut && form.optOutLine.trim() ? form.optOutLine.trim() : null;
  const values = SAMPLES[sample]?.values ?? {};
  const detailHref = id === null ? '/campaigns' : `/campaigns/${id}`;

  return (
    <main id="main" class="page builder-page" tabIndex={-1}>
      <h1 class="page-title">{id === null ? 'New campaign' : `Edit “${campaign?.name ?? ''}”`}</h1>
      {campaign?.status === 'scheduled' && <p class="warning">Saving changes takes this scheduled campaign back to draft; launch it again afterwards.</p>}
      <form onSubmit={(e) => void save(e)} noValidate data-testid="campaign-form">
        <TextField id="name" label="Name" value={form.name} onInput={(v) => set({ name: v })} error={errors['name']} required />

        <fieldset class="section">
          <legend>Messages</legend>
          <div class="field">
            <label for="sample">Preview as</label>
            <select id="sample" value={String(sample)} onChange={(e) => setSample(Number(e.currentTarget.value))}>
              {SAMPLES.map((s, i) => (
                <option key={i} value={String(i)}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <Checkbox id="use-opt-out" label="Add an opt-out line to a contact's first text" checked={form.useOptOut} onChange={(v) => set({ useOptOut: v })} />
          {form.useOptOut && (
            <TextField id="opt_out_line" label="Opt-out line" value={form.optOutLine} onInput={(v) => set({ optOutLine: v })} error={errors['opt_out_line']} />
          )}
          <TemplateEditor
            id="template_a"
            label={form.useB ? 'Template A' : 'Message'}
            value={form.templateA}
            onInput={(v) => setTemplate('template_a', { templateA: v })}
            sample={values}
            optOutLine={optOut}
            serverError={errors['template_a']}
          />
          <Checkbox id="use-b" label="A/B test a second message" checked={form.useB} onChange={(v) => set({ useB: v })} />
          {form.useB && (
            <>
              <TemplateEditor
                id="template_b"
                label="Template B"
                value={form.templateB}
                onInput={(v) => setTemplate('template_b', { templateB: v })}
                sample={values}
                optOutLine={optOut}
                serverError={errors['template_b']}
              />
              <div class="field">
                <label for="ab_split_percent">
                  Split: {form.splitPercent}% get A, {100 - form.splitPercent}% get B
                </label>
                <input
                  id="ab_split_percent"
                  type="range"
                  min={0}
                  max={100}
                  step={5}
                  value={form.splitPercent}
                  aria-valuetext={`${form.splitPercent}% A, ${100 - form.splitPercent}% B`}
                  onInput={(e) => set({ splitPercent: Number(e.currentTarget.value) })}
                />
              </div>
            </>
          )}
          <Checkbox id="use-existing" label="A different message for existing customers" checked={form.useExisting} onChange={(v) => set({ useExisting: v })} />
          {form.useExisting && (
            <TemplateEditor
              id="template_existing"
              label="Existing-customer message"
              hint="Sent to existing customers when “Existing customers” below is set to send this template."
              value={form.templateExisting}
              onInput={(v) => setTemplate('template_existing', { templateExisting: v })}
              sample={values}
              optOutLine={null}
              serverError={errors['template_existing']}
            />
          )}
        </fieldset>

        <AudienceFilters form={form} set={set} errors={errors} />
        <section class="section" aria-labelledby="audience-preview-title">
          <h2 id="audience-preview-title">Audience preview</h2>
          {id === null ? (
            <p class="muted">Save the draft to see who is in the audience and to add members from a CSV file.</p>
          ) : (
            <>
              <p class="muted">
                Counts the saved filters; save after changing them.{' '}
                <button type="button" class="btn-quiet" onClick={loadPreview}>
                  Refresh
                </button>
              </p>
              {previewError && <p role="alert">{previewError}</p>}
              {preview && <AudiencePreview preview={preview} />}
              <CsvUpload campaignId={id} onAdded={loadPreview} />
            </>
          )}
        </section>

        <SendingSettings form={form} set={set} errors={errors} />

        <div class="form-actions">
          <button type="submit" class="btn-primary" data-testid="campaign-save" disabled={saving}>
            {saving ? 'Saving…' : 'Save draft'}
          </button>
          <a href={detailHref} class="btn-quiet" onClick={(e) => onLinkClick(e, detailHref)}>
            {id === null ? 'Cancel' : 'Done'}
          </a>
          {status && (
            <span role={status.error ? 'alert' : 'status'} class={status.error ? 'form-error' : undefined} data-testid="save-status">
              {status.text}
            </span>
          )}
        </div>
      </form>
    </main>
  );
}
