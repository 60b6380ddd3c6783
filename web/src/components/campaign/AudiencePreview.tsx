// The saved audience as the runner would see it: how many, who is left out, and 20 sample members
// with the text each would get.
import type { AudiencePreview as Preview } from '../../api/campaign-types';
import { formatPhone } from '../../domain/format';

export function AudiencePreview({ preview }: { preview: Preview }) {
  return (
    <div class="audience-preview" data-testid="audience-preview" data-count={preview.count}>
      <dl class="stats">
        <div>
          <dt>Will receive</dt>
          <dd data-testid="audience-count">{preview.count}</dd>
        </div>
        <div>
          <dt>Opted out (excluded)</dt>
          <dd>{preview.excluded_opted_out}</dd>
        </div>
        <div>
          <dt>Existing customers</dt>
          <dd>{preview.existing_customers}</dd>
        </div>
      </dl>
      {preview.sample.length > 0 ? (
        <table class="events sample">
          <caption>First {preview.sample.length} members</caption>
          <thead>
            <tr>
              <th scope="col">Contact</th>
              <th scope="col">Variant</th>
              <th scope="col">Text</th>
              <th scope="col">Segments</th>
            </tr>
          </thead>
          <tbody>
            {preview.sample.map((m) => (
              <tr key={m.contact_id} data-testid="audience-sample">
                <td>
                  {m.name ?? formatPhone(m.phone)}
                  <br />
                  <span class="muted">{formatPhone(m.phone)}</span>
                  {m.status && m.status !== 'pending' && <span class="muted"> · {m.status === 'review' ? 'for review' : 'skipped'}</span>}
                </td>
                <td>{m.variant}</td>
                <td class="sms-text">{m.rendered}</td>
                <td>
                  {m.segments.segments} ({m.segments.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2'})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">Nobody matches yet.</p>
      )}
    </div>
  );
}
