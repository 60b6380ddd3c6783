import '../test/browser-globals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../api/client';
import { currentPath } from '../router';
import { byTestId, byText, find, labelled, oneByTestId, setChecked, typeInto } from '../test/dom';
import type { FakeElement } from '../test/dom';
import { campaign } from '../test/fixtures';
import { interact, mount, stubFetch, unmount } from '../test/render';
import { CampaignBuilder } from './CampaignBuilder';

vi.mock('../state/live', () => import('../test/live-stub'));

let root: FakeElement | null = null;
beforeEach(() => setCsrfToken('tok-1'));
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  vi.unstubAllGlobals();
});

const preview = {
  count: 2,
  excluded_opted_out: 1,
  existing_customers: 1,
  sample: [
    { contact_id: 5, name: 'Ann Lee', phone: '+16175550134', variant: 'A', status: 'pending', rendered: 'Hi Ann\nReply STOP to opt out', segments: { encoding: 'gsm7', units: 28, segments: 1 } },
    { contact_id: 6, name: null, phone: '+16175550135', variant: 'B', status: 'suppressed', rendered: 'Hey there', segments: { encoding: 'gsm7', units: 9, segments: 1 } },
  ],
};

const template = (root: FakeElement, id: string) => oneByTestId(root, `template-${id}`);

describe('CampaignBuilder (new)', () => {
  it('previews the text for a sample contact with its segment count as typed', async () => {
    stubFetch({});
    root = await mount(<CampaignBuilder id={null} />);
    const a = template(root, 'template_a');
    await interact(() => typeInto(labelled(a, 'Message'), 'Hi {first_name|there}, free inspection this week 🏠'));
    expect(oneByTestId(a, 'template-preview').textContent).toBe('Hi Maria, free inspection this week 🏠\nReply STOP to opt out');
    const counter = oneByTestId(a, 'segment-counter');
    expect(counter.getAttribute('data-encoding')).toBe('ucs2');
    expect(counter.getAttribute('data-segments')).toBe('1');

    // The fallback sample and a chip inserted at the end.
    await interact(() => {
      const select = labelled(root as FakeElement, 'Preview as');
      select.value = '1';
      select.dispatch('change');
    });
    expect(oneByTestId(a, 'template-preview').textContent).toContain('Hi there,');
    await interact(() => byText(a, 'button', '{city}').dispatch('click'));
    expect(labelled(a, 'Message').value.endsWith('{city}')).toBe(true);
  });

  it('marks a broken template as typed and does not send it', async () => {
    const calls = stubFetch({});
    root = await mount(<CampaignBuilder id={null} />);
    await interact(() => typeInto(labelled(root as FakeElement, 'Name'), 'Spring'));
    await interact(() => typeInto(labelled(root as FakeElement, 'Message'), 'Hi {frist_name}'));
    expect(oneByTestId(root, 'template-error').textContent).toBe("unknown merge field 'frist_name' (character 4)");
    await interact(() => oneByTestId(root as FakeElement, 'campaign-form').dispatch('submit'));
    expect(calls).toHaveLength(0);
  });

  it('creates the draft with the CSRF header and opens it for editing', async () => {
    const calls = stubFetch({ 'POST /api/v1/campaigns': { status: 201, body: campaign({ id: 7 }) } });
    root = await mount(<CampaignBuilder id={null} />);
    await interact(() => typeInto(labelled(root as FakeElement, 'Name'), 'Spring check'));
    await interact(() => typeInto(labelled(root as FakeElement, 'Message'), 'Hi {first_name|there}'));
    await interact(() => setChecked(labelled(root as FakeElement, 'A/B test'), true));
    await interact(() => typeInto(labelled(root as FakeElement, 'Template B'), 'Hello {first_name}'));
    await interact(() => typeInto(labelled(root as FakeElement, 'Tags'), 'lead, spring'));
    await interact(() => typeInto(labelled(root as FakeElement, 'Sending number'), 'PN42'));
    await interact(() => oneByTestId(root as FakeElement, 'campaign-form').dispatch('submit'));
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(call?.headers['X-CSRF-Token']).toBe('tok-1');
    expect(call?.body).toMatchObject({
      name: 'Spring check',
      template_a: 'Hi {first_name|there}',
      template_b: 'Hello {first_name}',
      ab_split_percent: 50,
      from_phone_number_id: 'PN42',
      audience: { tags: ['lead', 'spring'] },
      scheduled_at: null,
    });
    expect(currentPath.value).toBe('/campaigns/7/edit');
  });

  it('shows the server’s template error next to the field, at the right character', async () => {
    stubFetch({
      'POST /api/v1/campaigns': {
        status: 422,
        body: { error: { code: 'invalid_template', message: "unknown merge field 'x' at 6", field: 'template_b', offset: 6 } },
      },
    });
    root = await mount(<CampaignBuilder id={null} />);
    await interact(() => typeInto(labelled(root as FakeElement, 'Name'), 'S'));
    await interact(() => setChecked(labelled(root as FakeElement, 'A/B test'), true));
    // Valid for this app's parser, refused by the server (say, a newer rule): é is two bytes.
    await interact(() => typeInto(labelled(root as FakeElement, 'Template B'), 'Olé  {city}'));
    await interact(() => oneByTestId(root as FakeElement, 'campaign-form').dispatch('submit'));
    const error = oneByTestId(template(root, 'template_b'), 'template-error');
    expect(error.textContent).toBe("unknown merge field 'x' at 6 (character 6)");
    expect(labelled(template(root, 'template_b'), 'Template B').getAttribute('aria-invalid')).toBe('true');
    expect(byTestId(template(root, 'template_a'), 'template-error')).toHaveLength(0);
  });
});

describe('CampaignBuilder (edit)', () => {
  it('loads the draft, previews its audience and uploads a CSV', async () => {
    const calls = stubFetch({
      'GET /api/v1/campaigns/7': { status: 200, body: campaign({ id: 7, name: 'Spring', template_b: 'B text', ab_split_percent: 70 }) },
      'GET /api/v1/campaigns/7/audience/preview': { status: 200, body: preview },
      'POST /api/v1/campaigns/7/audience/csv': { status: 200, body: { added: 3, duplicates: 1, errors: [{ line: 4, reason: 'not a phone number' }] } },
      'PATCH /api/v1/campaigns/7': { status: 200, body: campaign({ id: 7, name: 'Spring 2', updated_at: '2026-04-02T00:00:00Z' }) },
    });
    root = await mount(<CampaignBuilder id={7} />);
    expect(labelled(root, 'Name').value).toBe('Spring');
    expect(labelled(root, 'Split').value).toBe(70);
    const shown = oneByTestId(root, 'audience-preview');
    expect(oneByTestId(shown, 'audience-count').textContent).toBe('2');
    expect(shown.textContent).toContain('Opted out (excluded)1');
    expect(byTestId(shown, 'audience-sample').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Hi Ann\nReply STOP to opt out'),
      expect.stringContaining('skipped'),
    ]);

    const file = labelled(root, 'Add members from a CSV file');
    Object.assign(file, { files: [{ text: async () => 'phone\n+16175550199\n' }] });
    await interact(() => file.dispatch('change'));
    const upload = calls.find((c) => c.path.endsWith('/audience/csv'));
    expect(upload?.headers['Content-Type']).toBe('text/csv');
    expect(upload?.body).toBe('phone\n+16175550199\n');
    expect(oneByTestId(root, 'csv-result').textContent).toContain('Added 3 members, 1 already in the campaign');
    expect(byTestId(root, 'csv-error').map((e) => e.textContent)).toEqual(['Line 4: not a phone number']);
    expect(calls.filter((c) => c.path.endsWith('/preview'))).toHaveLength(2);

    await interact(() => typeInto(labelled(root as FakeElement, 'Name'), 'Spring 2'));
    await interact(() => oneByTestId(root as FakeElement, 'campaign-form').dispatch('submit'));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ name: 'Spring 2', template_b: 'B text', ab_split_percent: 70 });
    expect(oneByTestId(root, 'save-status').textContent).toBe('Draft saved.');
  });

  it('refuses to edit a campaign that has left the draft', async () => {
    stubFetch({ 'GET /api/v1/campaigns/8': { status: 200, body: campaign({ id: 8, status: 'running' }) } });
    root = await mount(<CampaignBuilder id={8} />);
    expect(root.textContent).toContain('can no longer be edited');
    expect(find(root, (e) => e.localName === 'form')).toHaveLength(0);
  });
});
